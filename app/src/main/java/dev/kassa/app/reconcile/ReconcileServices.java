package dev.kassa.app.reconcile;

import com.zaxxer.hikari.HikariDataSource;
import dev.kassa.ledger.postgres.PostgresSettings;
import dev.kassa.model.KafkaClientProperties;
import dev.kassa.processor.HttpCardProcessor;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;

/** Starts the daily reconciliation inside a service with the connections it owns, and closes them with it. */
public final class ReconcileServices {

    /** How long reconciliation waits for the settlement report, which may be long. */
    public static final Duration REPORT_TIMEOUT = Duration.ofSeconds(60);
    /** How long a daily run waits for the payments it completed to show completed in the ledger. */
    public static final Duration DAILY_COMPLETION_WAIT = Reconciler.COMPLETION_WAIT_DEFAULT;

    private ReconcileServices() {
    }

    /**
     * The daily run against the processor at {@code processorUrl}, reading the ledger in {@code postgres}
     * and publishing on {@code kafkaBootstrap}; closing it stops the runs and closes its connections.
     */
    public static AutoCloseable startDaily(PostgresSettings postgres, String kafkaBootstrap,
                                           KafkaClientProperties kafkaClient, URI processorUrl, String processorApiKey,
                                           Duration delay) {
        DailyReconciliation.requireDelay(delay);
        HikariDataSource pool = postgres.openPool();
        KafkaProducer<String, byte[]> producer;
        try {
            producer = Reconciler.producer(kafkaBootstrap, kafkaClient);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        Reconciler reconciler = new Reconciler(new HttpCardProcessor(processorUrl, processorApiKey, REPORT_TIMEOUT,
                Duration.ofSeconds(5)), pool, producer, DAILY_COMPLETION_WAIT, Clock.systemUTC(), Reconciler.Hooks.NONE);
        DailyReconciliation daily = DailyReconciliation.start(reconciler, delay, Clock.systemUTC());
        return () -> {
            try (pool; producer; daily) {
                // Closed in reverse order: the runs first, then the producer and the pool they use.
            }
        };
    }
}
