package dev.kassa.app.cli;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Blocks a command's thread while its services run. They stop through a shutdown hook (Ctrl-C,
 * SIGTERM), and the command exits 0; or one of them dies (a worker thread ended, a Kafka Streams
 * client in {@code ERROR}), and the command closes them all and exits {@value #EXIT_WORKER_DIED}, so
 * that a supervisor restarts it rather than leave a process running that does nothing (docs/api.md,
 * Management port).
 */
public final class UntilShutdown {

    /** The exit code of a command whose service died under it. */
    public static final int EXIT_WORKER_DIED = 1;

    private UntilShutdown() {
    }

    /** Waits for a shutdown only: for services with no worker that can die on its own. */
    public static int await(AutoCloseable services) {
        return await(services, new CompletableFuture<>());
    }

    /**
     * Waits until the JVM shuts down (returns 0 once {@code services} are closed) or {@code failure}
     * completes (closes {@code services}, prints the reason and returns {@link #EXIT_WORKER_DIED}).
     */
    public static int await(AutoCloseable services, CompletableFuture<String> failure) {
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        Thread hook = new Thread(() -> {
            try {
                services.close();
            } catch (Exception e) {
                System.err.println("kassa: " + services + " did not stop cleanly: " + e);
            } finally {
                stopped.complete(null);
            }
        }, "kassa-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        String reason;
        try {
            reason = (String) CompletableFuture.anyOf(stopped, failure).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (ExecutionException e) {
            reason = "its failure could not be told: " + e.getCause();
        }
        if (stopped.isDone() || !removeHook(hook)) {
            stopped.join();
            return 0;
        }
        System.err.println("kassa: " + services + " stopped working: " + reason + "; exiting with code "
                + EXIT_WORKER_DIED + " so that a supervisor restarts it");
        try {
            services.close();
        } catch (Exception e) {
            System.err.println("kassa: " + services + " did not stop cleanly: " + e);
        }
        return EXIT_WORKER_DIED;
    }

    /** False when the JVM is already shutting down, and the hook will close the services. */
    private static boolean removeHook(Thread hook) {
        try {
            return Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
    }
}
