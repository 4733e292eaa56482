package dev.kassa.app.crash;

import dev.kassa.app.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@code kassa} command ({@link Main}) running in a JVM of its own, launched with this JVM's class
 * path (under failsafe a manifest-only jar naming every dependency), so that a test can kill it with
 * SIGKILL or stop it with SIGTERM like a user would.
 *
 * <p>Standard output and error are merged and drained by a reader thread, so the child never blocks
 * on a full pipe; the last {@value #TAIL_LINES_MAX} lines are kept for the test log. The lines from
 * {@code Kassa is running.} to {@code READY <url>} are collected as the banner.
 */
final class KassaProcess {

    static final int TAIL_LINES_MAX = 400;

    private static final String BANNER_START = "Kassa is running.";
    private static final String READY_PREFIX = "READY ";

    private final String name;
    private final Process process;
    private final Deque<String> tail = new ArrayDeque<>();
    private final CompletableFuture<List<String>> banner = new CompletableFuture<>();
    private final CompletableFuture<Void> outputEnded = new CompletableFuture<>();
    private final Map<String, AtomicLong> counted = new ConcurrentHashMap<>();

    private KassaProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread reader = new Thread(this::drainOutput, name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code kassa <arguments>} in a new JVM with at most {@code heapMax} of heap, e.g. {@code 1g}. */
    static KassaProcess start(String name, String heapMax, List<String> arguments) {
        return start(name, List.of("-Xmx" + heapMax), arguments);
    }

    /** Starts {@code kassa <arguments>} in a new JVM with the given JVM options, e.g. {@code -Xmx384m}. */
    static KassaProcess start(String name, List<String> jvmOptions, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(arguments);
        try {
            return new KassaProcess(name, new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    /**
     * Waits at most {@code timeout} for the banner's {@code READY} line and returns the banner's lines;
     * fails at once when the process exits first.
     */
    List<String> awaitBanner(Duration timeout) {
        try {
            return banner.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(name + " printed no READY line within " + timeout, e);
        } catch (ExecutionException e) {
            throw new AssertionError(name + " ended before READY (exit code "
                    + (process.isAlive() ? "unknown" : process.exitValue()) + ")", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + name + " to get ready", e);
        }
    }

    /** Waits at most {@code timeout} for the process to exit and its output to be read to the end. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        try {
            outputEnded.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return true; // the process has exited; only the last lines of its output may be missing
        }
    }

    int exitValue() {
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    /**
     * SIGKILL: no shutdown hook runs, Postgres and Redis are left running as orphans. Sent through the
     * process handle, because {@link Process#destroyForcibly()} also closes our end of the output pipe.
     */
    void kill() {
        process.toHandle().destroyForcibly();
    }

    /**
     * SIGKILL, then waits at most {@code timeout} for the process to be gone, so that a restart never
     * overlaps the killed JVM (its state directory, its group membership, its Postgres connections).
     */
    void killAndAwaitExit(Duration timeout) throws InterruptedException {
        kill();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " (pid " + pid() + ") still runs " + timeout + " after SIGKILL");
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits at most {@code timeout} for a line containing {@code text} among the kept lines; fails at once
     * when the process exits without having printed it.
     */
    void awaitLine(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (tail) {
            while (tail.stream().noneMatch(line -> line.contains(text))) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(name + " printed no line with '" + text + "' within " + timeout
                            + "; its last lines:\n" + String.join("\n", tail));
                }
                if (outputEnded.isDone()) {
                    throw new AssertionError(name + " ended without printing '" + text + "'; its last lines:\n"
                            + String.join("\n", tail));
                }
                try {
                    tail.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for " + name + " to print '" + text + "'", e);
                }
            }
        }
    }

    /**
     * SIGTERM: the JVM runs its shutdown hooks, which stop the services and the runtime. Sent through
     * the process handle, because {@link Process#destroy()} closes our end of the output pipe at once
     * and the shutdown's log lines would be lost.
     */
    void terminate() {
        process.toHandle().destroy();
    }

    /** The last lines of output, for the test log. */
    String tailText() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    String name() {
        return name;
    }

    /**
     * From now on counts the lines that contain {@code text}, however many lines of output follow
     * (the kept tail is bounded); {@link #occurrences(String)} reads the count.
     */
    KassaProcess count(String text) {
        counted.putIfAbsent(text, new AtomicLong());
        return this;
    }

    /** Lines containing {@code text} since {@link #count(String)} was called with it. */
    long occurrences(String text) {
        AtomicLong count = counted.get(text);
        if (count == null) {
            throw new IllegalStateException(name + " does not count lines with '" + text + "'");
        }
        return count.get();
    }

    boolean printed(String text) {
        synchronized (tail) {
            return tail.stream().anyMatch(line -> line.contains(text));
        }
    }

    private void drainOutput() {
        List<String> bannerLines = null;
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                keep(line);
                if (line.startsWith(BANNER_START)) {
                    bannerLines = new ArrayList<>();
                }
                if (bannerLines != null && !banner.isDone()) {
                    bannerLines.add(line);
                    if (line.startsWith(READY_PREFIX)) {
                        banner.complete(List.copyOf(bannerLines));
                    }
                }
            }
        } catch (IOException e) {
            keep("[test] reading the output of " + name + " failed: " + e);
        } finally {
            banner.completeExceptionally(new IllegalStateException("the output ended (the process exited)"));
            outputEnded.complete(null);
            synchronized (tail) {
                tail.notifyAll();
            }
        }
    }

    private void keep(String line) {
        counted.forEach((text, count) -> {
            if (line.contains(text)) {
                count.incrementAndGet();
            }
        });
        synchronized (tail) {
            tail.addLast(line);
            while (tail.size() > TAIL_LINES_MAX) {
                tail.removeFirst();
            }
            tail.notifyAll();
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
