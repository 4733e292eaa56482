package dev.kassa.processor.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The sandbox running in a JVM of its own ({@link SandboxLauncher}, launched with this JVM's class path),
 * so that a test can kill it with SIGKILL like a crash, and restart it on the same data directory. Its
 * output is drained by a thread (the last lines kept for failure messages) and its {@code READY <url>}
 * line gives its address. {@link #putFaults} sets its faults through the admin endpoint.
 */
final class SandboxProcess implements AutoCloseable {

    static final String API_KEY = "sk_test_sandbox_it";
    static final String ADMIN_TOKEN = "admin_test_sandbox_it";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final int TAIL_LINES_MAX = 200;

    private final Process process;
    private final Deque<String> tail = new ArrayDeque<>();
    private final CompletableFuture<URI> ready = new CompletableFuture<>();
    private final HttpClient admin = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private SandboxProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::drain, "sandbox-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a sandbox on {@code dataDirectory} and waits until it listens. */
    static SandboxProcess start(Path dataDirectory, long seed) {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), SandboxLauncher.class.getName(),
                dataDirectory.toString(), API_KEY, ADMIN_TOKEN, Long.toString(seed));
        try {
            SandboxProcess sandbox = new SandboxProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
            sandbox.uri();
            return sandbox;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the sandbox: " + command, e);
        }
    }

    /** The sandbox's address, once it printed READY; fails when it exits first or takes too long. */
    URI uri() {
        try {
            return ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("the sandbox did not get ready; its last lines:\n" + tail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while starting the sandbox", e);
        }
    }

    /** Replaces the fault settings ({@code PUT /admin/faults}) with {@code json}; fails unless answered 200. */
    void putFaults(String json) {
        HttpRequest request = HttpRequest.newBuilder(uri().resolve("/admin/faults"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build();
        try {
            HttpResponse<String> response = admin.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("PUT /admin/faults answered " + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** SIGKILL, and waits until the JVM is gone, so that a restart never overlaps it. */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the sandbox (pid " + process.pid() + ") still runs 30 s after SIGKILL");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    private void drain() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                synchronized (tail) {
                    tail.addLast(line);
                    while (tail.size() > TAIL_LINES_MAX) {
                        tail.removeFirst();
                    }
                }
                if (line.startsWith("READY ")) {
                    ready.complete(URI.create(line.substring("READY ".length()).trim()));
                }
            }
        } catch (IOException e) {
            // The process is gone; what it printed is in the tail.
        } finally {
            ready.completeExceptionally(new IllegalStateException("the sandbox's output ended"));
        }
    }
}
