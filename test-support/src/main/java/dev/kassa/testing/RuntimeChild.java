package dev.kassa.testing;

import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.runtime.RuntimeConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A runtime in a JVM of its own, for tests that kill that JVM with SIGKILL: starts an
 * {@link EmbeddedRuntime} on the data directory given as the only argument, prints
 * {@value #READY_MARKER} followed by its addresses, and runs until killed or until its standard
 * input closes (the parent test JVM died), then closes the runtime.
 */
public final class RuntimeChild {

    /** Starts the line printed once the runtime serves: {@code KASSA-RUNTIME-READY <bootstrap> <jdbc> <redis>}. */
    public static final String READY_MARKER = "KASSA-RUNTIME-READY";

    private RuntimeChild() {
    }

    public static void main(String[] arguments) throws IOException {
        if (arguments.length != 1) {
            throw new IllegalArgumentException("usage: RuntimeChild <data directory>");
        }
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(RuntimeConfig.withFreePorts(Path.of(arguments[0])))) {
            System.out.println(READY_MARKER + " " + runtime.bootstrapServers() + " " + runtime.jdbcUrl() + " "
                    + runtime.redisUri());
            System.out.flush();
            awaitEndOfInput();
        }
    }

    /** Blocks until standard input ends, so a child never outlives the parent that reads its output. */
    private static void awaitEndOfInput() throws IOException {
        while (System.in.read() != -1) {
            // Input carries no commands; only its end matters.
        }
    }
}
