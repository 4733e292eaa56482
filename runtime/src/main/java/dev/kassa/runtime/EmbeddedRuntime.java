package dev.kassa.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kassa's infrastructure in one process tree: a KRaft Kafka broker in this JVM, and Postgres 17 and
 * Redis as child processes, all keeping their data under one data directory.
 *
 * <p>A runtime started again on the same directory, also after {@code kill -9} of the JVM that ran it,
 * comes back at the same addresses with all data: ports are remembered in {@code ports.properties},
 * and servers orphaned by the killed JVM are stopped before starting fresh. An exclusive lock on the
 * directory keeps two runtimes from sharing it. Used by {@code kassa dev} and the integration tests.
 *
 * <pre>{@code
 * try (EmbeddedRuntime runtime = EmbeddedRuntime.start(RuntimeConfig.withFreePorts(Path.of(".kassa")))) {
 *     String bootstrapServers = runtime.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRuntime.class);
    /** Covers stopping orphans (a minute at most) plus Postgres crash recovery (two minutes at most). */
    private static final Duration PROCESS_START_TIMEOUT = Duration.ofMinutes(4);

    private final Path dataDirectory;
    private final RuntimePorts ports;
    private final DataDirectoryLock lock;
    private final EmbeddedPostgresServer postgres;
    private final EmbeddedRedisServer redis;
    private final EmbeddedKafka kafka;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Services running on this runtime, closed before the servers they use (newest first). */
    private final java.util.Deque<AutoCloseable> dependents = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private final Thread shutdownHook = new Thread(this::close, "kassa-runtime-shutdown");

    private EmbeddedRuntime(Path dataDirectory, RuntimePorts ports, int kafkaRelayPort, DataDirectoryLock lock) {
        this.dataDirectory = dataDirectory;
        this.ports = ports;
        this.lock = lock;
        this.postgres = new EmbeddedPostgresServer(dataDirectory, ports.postgres());
        this.redis = new EmbeddedRedisServer(dataDirectory, ports.redis());
        this.kafka = new EmbeddedKafka(dataDirectory, ports.kafka(), ports.kafkaController(),
                kafkaRelayPort == RuntimeConfig.NO_KAFKA_RELAY ? null
                        : new EmbeddedKafka.RelayedListener(ports.kafkaRelayed(), kafkaRelayPort));
    }

    /**
     * Creates the data directory if missing, locks it, and starts Postgres, Redis and Kafka; returns
     * once all three serve clients. On failure, whatever did start is stopped again.
     *
     * @throws EmbeddedRuntimeException if the directory is in use, a port is taken or a component fails
     */
    public static EmbeddedRuntime start(RuntimeConfig config) {
        Objects.requireNonNull(config, "config");
        long startNanos = System.nanoTime();
        Path dataDirectory = createDirectories(config.dataDirectory().toAbsolutePath().normalize());
        DataDirectoryLock lock = DataDirectoryLock.acquire(dataDirectory);
        EmbeddedRuntime runtime;
        try {
            runtime = new EmbeddedRuntime(dataDirectory, RuntimePorts.resolve(config), config.kafkaRelayPort(), lock);
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        }
        try {
            runtime.startComponents();
        } catch (RuntimeException | Error e) {
            // An Error too (a missing class, say): Postgres and Redis are processes of their own and
            // would otherwise outlive this JVM.
            runtime.closeAfterFailedStart(e);
            throw e;
        }
        // Ctrl-C on kassa dev must shut the in-process broker down cleanly too; Postgres and Redis
        // have hooks of their own, but Kafka would otherwise die as if killed.
        Runtime.getRuntime().addShutdownHook(runtime.shutdownHook);
        LOG.info("Kassa runtime ready in {} ms, data in {}", elapsedMillis(startNanos), dataDirectory);
        return runtime;
    }

    /**
     * Postgres and Redis start on a helper thread while Kafka starts on this one: they share nothing,
     * and it saves the few seconds of the shorter start. Even when Kafka fails, the helper is awaited,
     * so nothing is still starting when the caller closes the runtime.
     */
    private void startComponents() {
        ExecutorService helper = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kassa-runtime-start");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Future<?> processes = helper.submit(() -> {
                startTimed("Postgres", postgres::start, () -> postgres.jdbcUrl() + " (user " + postgres.user() + ")");
                startTimed("Redis", redis::start, redis::uri);
            });
            startKafkaThenAwait(processes);
        } finally {
            helper.shutdown();
        }
    }

    private void startKafkaThenAwait(Future<?> processes) {
        try {
            startTimed("Kafka", kafka::start, () -> kafka.bootstrapServers() + " (cluster " + kafka.clusterId() + ")");
        } catch (RuntimeException e) {
            try {
                await(processes);
            } catch (RuntimeException processFailure) {
                e.addSuppressed(processFailure);
            }
            throw e;
        }
        await(processes);
    }

    private static void await(Future<?> processes) {
        try {
            processes.get(PROCESS_START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtimeException
                    ? runtimeException
                    : new EmbeddedRuntimeException("Postgres or Redis did not start", e.getCause());
        } catch (TimeoutException e) {
            throw new EmbeddedRuntimeException("Postgres and Redis did not start within " + PROCESS_START_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedRuntimeException("interrupted while Postgres and Redis were starting", e);
        }
    }

    private static void startTimed(String component, Runnable start, Supplier<String> address) {
        long startNanos = System.nanoTime();
        start.run();
        LOG.info("{} ready at {} in {} ms", component, address.get(), elapsedMillis(startNanos));
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The ports actually in use, as remembered in the data directory's {@code ports.properties}. */
    public RuntimePorts ports() {
        return ports;
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedPostgresServer postgres() {
        return postgres;
    }

    public EmbeddedRedisServer redis() {
        return redis;
    }

    /** Kafka's {@code bootstrap.servers}: {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Postgres' {@code jdbc:postgresql://127.0.0.1:<port>/kassa}; credentials from {@link #postgres()}. */
    public String jdbcUrl() {
        return postgres.jdbcUrl();
    }

    /** Redis' {@code redis://127.0.0.1:<port>}. */
    public String redisUri() {
        return redis.uri();
    }

    /**
     * Registers a service that runs on this runtime: {@link #close()} — also the one Ctrl-C triggers —
     * closes it before stopping the servers, so services never outlive the broker and databases.
     */
    public void closeFirst(AutoCloseable dependent) {
        dependents.push(Objects.requireNonNull(dependent, "dependent"));
    }

    /**
     * Stops Kafka, Redis and Postgres, in reverse start order, then releases the data directory.
     * Idempotent; a component that fails to stop does not keep the others running.
     */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        removeShutdownHook();
        long startNanos = System.nanoTime();
        List<RuntimeException> failures = new ArrayList<>();
        for (AutoCloseable dependent; (dependent = dependents.poll()) != null; ) {
            AutoCloseable service = dependent;
            stopCollecting(service.toString(), () -> closeUnchecked(service), failures);
        }
        stopCollecting("Kafka", kafka::stop, failures);
        stopCollecting("Redis", redis::stop, failures);
        stopCollecting("Postgres", postgres::stop, failures);
        stopCollecting("data directory lock", lock::close, failures);
        if (!failures.isEmpty()) {
            EmbeddedRuntimeException failure = new EmbeddedRuntimeException(
                    "the runtime in " + dataDirectory + " did not stop cleanly", failures.get(0));
            failures.stream().skip(1).forEach(failure::addSuppressed);
            throw failure;
        }
        LOG.info("Kassa runtime stopped in {} ms", elapsedMillis(startNanos));
    }

    private static void closeUnchecked(AutoCloseable service) {
        try {
            service.close();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new EmbeddedRuntimeException("cannot close " + service, e);
        }
    }

    private void removeShutdownHook() {
        if (Thread.currentThread() == shutdownHook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // The JVM is already shutting down, or the runtime never got as far as registering the hook.
        }
    }

    private void closeAfterFailedStart(Throwable cause) {
        try {
            close();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private static void stopCollecting(String component, Runnable stop, List<RuntimeException> failures) {
        try {
            stop.run();
        } catch (RuntimeException e) {
            LOG.error("{} did not stop cleanly", component, e);
            failures.add(e);
        }
    }

    private static Path createDirectories(Path directory) {
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + directory, e);
        }
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
