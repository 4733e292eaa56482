package dev.kassa.app.cli;

import java.util.concurrent.CountDownLatch;

/** Blocks a command's thread while its services run; they stop through shutdown hooks (Ctrl-C, SIGTERM). */
final class UntilShutdown {

    private UntilShutdown() {
    }

    static void await(AutoCloseable services) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                services.close();
            } catch (Exception e) {
                System.err.println("kassa: " + services + " did not stop cleanly: " + e);
            } finally {
                stopped.countDown();
            }
        }, "kassa-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
