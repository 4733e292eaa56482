package dev.kassa.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;
import redis.embedded.model.OsArchitecture;

/**
 * A real Redis server (codemonstur's embedded binary) on 127.0.0.1, keeping an append-only file in
 * {@code <dataDirectory>/redis} so that keys survive restarts and a killed JVM.
 *
 * <p>Redis runs as a child process that survives {@code kill -9} of the JVM; it writes a pid file in
 * its directory, through which {@link #start()} finds and stops such an orphan before starting fresh.
 * {@link #stop()} and {@link #start()} may be called repeatedly on the same data and port.
 */
public final class EmbeddedRedisServer implements AutoCloseable {

    static final String DIRECTORY_NAME = "redis";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedisServer.class);
    static final String PID_FILE_NAME = "redis.pid";

    /** Redis saves its append-only file on SIGTERM; half a minute covers a large development data set. */
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    /**
     * A bound on memory instead of silently growing into the machine's swap: about 8 M idempotency
     * keys. With noeviction a full Redis rejects writes loudly rather than forgetting keys.
     */
    private static final String MEMORY_MAX = "2gb";

    private final Path redisDirectory;
    private final int port;
    private RedisServer server;
    private ServerProcess process;

    /**
     * @param dataDirectory the runtime's data directory; Redis keeps its files in its {@code redis} child
     * @param port          the port to listen on, 1 to 65535
     */
    public EmbeddedRedisServer(Path dataDirectory, int port) {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("redis port must be between 1 and 65535, was " + port);
        }
        this.redisDirectory = dataDirectory.toAbsolutePath().resolve(DIRECTORY_NAME);
        this.port = port;
    }

    /** Starts Redis, first stopping a redis-server orphaned by a killed JVM; does nothing if running. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        Path executable = executable();
        stopOrphanedServer(executable);
        Loopback.requireFree(port, "Redis");
        Path configFile = writeConfigFile();
        RedisServer started = new RedisServer(port,
                List.of(executable.toString(), configFile.toString(), "--port", Integer.toString(port)), false);
        try {
            started.start();
        } catch (IOException e) {
            throw new EmbeddedRuntimeException("Redis did not start on " + Loopback.HOST + ":" + port
                    + " with data in " + redisDirectory, e);
        }
        server = started;
        process = findServer(executable).orElse(null);
    }

    /** Stops Redis, which writes its append-only file out first; does nothing if stopped. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        RedisServer running = server;
        server = null;
        // Bounded through the pid, because the library's own stop waits without a limit.
        if (process != null && process.isRunning()) {
            process.stop(ServerProcess.StopSignal.TERMINATE, SHUTDOWN_TIMEOUT);
        }
        process = null;
        try {
            running.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop Redis on port " + port, e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String uri() {
        return "redis://" + Loopback.HOST + ":" + port;
    }

    public String host() {
        return Loopback.HOST;
    }

    public int port() {
        return port;
    }

    /** Where Redis keeps its append-only file, config and pid file: {@code <dataDirectory>/redis}. */
    public Path redisDirectory() {
        return redisDirectory;
    }

    private void stopOrphanedServer(Path executable) {
        findServer(executable).ifPresent(orphan -> {
            LOG.warn("stopping {}, left running by a runtime that did not shut down", orphan.description());
            orphan.stop(ServerProcess.StopSignal.TERMINATE, SHUTDOWN_TIMEOUT);
        });
    }

    /**
     * The live redis-server named in our pid file. Its process title carries its config file (see
     * {@code proc-title-template}), so a reused pid that now belongs to another runtime's Redis is
     * never taken for ours.
     */
    private Optional<ServerProcess> findServer(Path executable) {
        Path pidFile = redisDirectory.resolve(PID_FILE_NAME);
        return ServerProcess.fromPidFile(pidFile, executable.getFileName().toString(), configFile().toString());
    }

    private Path configFile() {
        return redisDirectory.resolve("redis.conf");
    }

    private Path writeConfigFile() {
        String directory = quote(redisDirectory);
        String configuration = String.join("\n",
                "# Written by the Kassa embedded runtime on every start; edits are overwritten.",
                "bind " + Loopback.HOST,
                "protected-mode yes",
                "daemonize no",
                "dir " + directory,
                "pidfile " + quote(redisDirectory.resolve(PID_FILE_NAME)),
                "proc-title-template \"{title} {listen-addr} {server-mode} {config-file}\"",
                // Logging to stdout is how the embedded-redis library sees that the server is ready.
                "logfile \"\"",
                "appendonly yes",
                "appendfilename \"appendonly.aof\"",
                "appendfsync everysec",
                // The append-only file is the one durable copy; periodic snapshots would only add forks.
                "save \"\"",
                "maxmemory " + MEMORY_MAX,
                "maxmemory-policy noeviction",
                "");
        Path configFile = configFile();
        try {
            Files.createDirectories(redisDirectory);
            Files.writeString(configFile, configuration, StandardCharsets.UTF_8);
            return configFile;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Redis config " + configFile, e);
        }
    }

    private static String quote(Path path) {
        String text = path.toString();
        if (text.contains("\"") || text.contains("\\") || text.contains("\n")) {
            throw new EmbeddedRuntimeException("Redis cannot use a data directory whose path contains a quote,"
                    + " backslash or newline: " + text);
        }
        return "\"" + text + "\"";
    }

    /**
     * The redis-server binary for this platform, unpacked once into the per-user binary cache. Written
     * beside and moved into place, so a concurrent start never runs half a binary.
     */
    private static Path executable() {
        String resource = ExecutableProvider.newProvidedVersionsMap().get(OsArchitecture.detectOSandArchitecture());
        if (resource == null) {
            throw new EmbeddedRuntimeException("embedded-redis ships no Redis binary for "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        }
        Path target = BinaryCache.directory("redis").resolve(Path.of(resource).getFileName().toString());
        if (Files.isExecutable(target)) {
            return target;
        }
        return unpack(resource, target);
    }

    private static Path unpack(String resource, Path target) {
        try (InputStream binary = RedisServer.class.getResourceAsStream(resource)) {
            if (binary == null) {
                throw new EmbeddedRuntimeException("Redis binary " + resource + " missing from the embedded-redis jar");
            }
            Path temporary = Files.createTempFile(target.getParent(), "redis-server", ".partial");
            Files.copy(binary, temporary, StandardCopyOption.REPLACE_EXISTING);
            if (!temporary.toFile().setExecutable(true, true)) {
                throw new EmbeddedRuntimeException("cannot make " + temporary + " executable");
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack Redis binary to " + target, e);
        }
    }
}
