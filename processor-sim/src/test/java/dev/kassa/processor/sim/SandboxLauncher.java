package dev.kassa.processor.sim;

import java.nio.file.Path;

/**
 * The sandbox as the main class of a JVM of its own, for the integration tests that kill it
 * ({@link SandboxProcess}); {@code kassa processor-sim} is the user's way to run the same
 * {@link ProcessorSandbox}. Arguments: data directory, API key, admin token, seed. Prints
 * {@code READY <url>} once it listens on a free loopback port.
 */
public final class SandboxLauncher {

    private SandboxLauncher() {
    }

    public static void main(String[] args) throws InterruptedException {
        SandboxSettings settings = new SandboxSettings("127.0.0.1", 0, args[1], args[2], Path.of(args[0]),
                Faults.NONE, Long.parseLong(args[3]));
        ProcessorSandbox sandbox = new ProcessorSandbox(settings).start();
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "sandbox-shutdown"));
        System.out.println("READY http://127.0.0.1:" + sandbox.port());
        Thread.currentThread().join();
    }
}
