package dev.kassa.testing;

import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.runtime.RuntimeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An {@link EmbeddedRuntime} on free ports and a fresh temporary data directory, for a JUnit store:
 * closing it stops the runtime and deletes the directory.
 */
record StartedRuntime(EmbeddedRuntime runtime, Path dataDirectory) implements AutoCloseable {

    /** Starts a runtime in a new temporary directory whose name starts with {@code prefix}. */
    static StartedRuntime start(String prefix) {
        Path dataDirectory = createTemporaryDirectory(prefix);
        return new StartedRuntime(EmbeddedRuntime.start(RuntimeConfig.withFreePorts(dataDirectory)), dataDirectory);
    }

    @Override
    public void close() {
        try {
            runtime.close();
        } finally {
            deleteRecursively(dataDirectory);
        }
    }

    private static Path createTemporaryDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a data directory for an embedded runtime", e);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(StartedRuntime::delete);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }
}
