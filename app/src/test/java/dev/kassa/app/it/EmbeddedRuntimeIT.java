package dev.kassa.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.testing.KafkaProbe;
import dev.kassa.testing.SharedRuntime;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Proves the shared embedded runtime is the real thing: a transactional Kafka, Postgres 17, Redis. */
@Tag("integration")
@ExtendWith(SharedRuntime.class)
class EmbeddedRuntimeIT {

    private static final Duration KAFKA_WAIT = Duration.ofSeconds(60);

    @Test
    void readCommittedConsumerSeesCommittedRecordsAndNeverAbortedOnes(EmbeddedRuntime runtime) {
        // Plan: commit "committed", abort "aborted", commit "after-abort" on one partition. Once a
        // read_committed consumer has reached "after-abort", it has passed the aborted record's offset,
        // so having skipped it proves the broker's transaction markers, not just slowness.
        String topic = "runtime-it.transactions";
        KafkaProbe.createTopic(runtime.bootstrapServers(), topic);
        try (KafkaProducer<String, String> producer =
                KafkaProbe.transactionalProducer(runtime.bootstrapServers(), "runtime-it-transactions")) {
            sendInTransaction(producer, topic, "committed", true);
            sendInTransaction(producer, topic, "aborted", false);
            sendInTransaction(producer, topic, "after-abort", true);
        }

        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = KafkaProbe.committedReader(runtime.bootstrapServers(), topic)) {
            await().atMost(KAFKA_WAIT)
                    .until(() -> KafkaProbe.pollValuesInto(consumer, seen), values -> values.contains("after-abort"));
        }
        assertThat(seen).containsExactly("committed", "after-abort");
    }

    @Test
    void postgresIsVersion17WithDurableCommitsInTheKassaDatabase(EmbeddedRuntime runtime) throws SQLException {
        try (Connection connection = connect(runtime)) {
            assertThat(queryString(connection, "SELECT version()")).startsWith("PostgreSQL 17");
            assertThat(queryString(connection, "SELECT current_database()")).isEqualTo("kassa");
            assertThat(queryString(connection, "SHOW fsync")).isEqualTo("on");
            assertThat(queryString(connection, "SHOW synchronous_commit")).isEqualTo("on");
            assertThat(queryString(connection, "SHOW listen_addresses")).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void redisAnswersAndKeepsAnAppendOnlyFile(EmbeddedRuntime runtime) {
        withRedis(runtime, redis -> {
            assertThat(redis.ping()).isEqualTo("PONG");
            assertThat(redis.set("runtime-it:greeting", "hello")).isEqualTo("OK");
            assertThat(redis.get("runtime-it:greeting")).isEqualTo("hello");
            assertThat(redis.configGet("appendonly")).containsEntry("appendonly", "yes");
            assertThat(redis.configGet("appendfsync")).containsEntry("appendfsync", "everysec");
            return null;
        });
    }

    @Test
    void postgresAndRedisRestartAloneOnTheirPortsWithTheirData(EmbeddedRuntime runtime) throws SQLException {
        // Plan: write a row and a key, stop and start Postgres and Redis alone (Kafka keeps running),
        // then read both back through the very same addresses.
        String jdbcUrl = runtime.jdbcUrl();
        String redisUri = runtime.redisUri();
        try (Connection connection = connect(runtime); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE runtime_it_restart (id int PRIMARY KEY, note text)");
            statement.execute("INSERT INTO runtime_it_restart VALUES (1, 'before restart')");
        }
        withRedis(runtime, redis -> redis.set("runtime-it:restart", "before restart"));

        runtime.postgres().stop();
        runtime.redis().stop();
        assertThat(runtime.postgres().isRunning()).isFalse();
        runtime.postgres().start();
        runtime.redis().start();

        assertThat(runtime.jdbcUrl()).isEqualTo(jdbcUrl);
        assertThat(runtime.redisUri()).isEqualTo(redisUri);
        try (Connection connection = connect(runtime); Statement statement = connection.createStatement()) {
            assertThat(queryString(connection, "SELECT note FROM runtime_it_restart WHERE id = 1"))
                    .isEqualTo("before restart");
            // The shared runtime's database belongs to the other tests; leave it as it was found.
            statement.execute("DROP TABLE runtime_it_restart");
        }
        String restartedValue = withRedis(runtime, redis -> redis.get("runtime-it:restart"));
        assertThat(restartedValue).isEqualTo("before restart");
        assertThat(runtime.kafka().isRunning()).isTrue();
    }

    private static void sendInTransaction(
            KafkaProducer<String, String> producer, String topic, String value, boolean commit) {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, value, value));
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.flush();
            producer.abortTransaction();
        }
    }

    private static Connection connect(EmbeddedRuntime runtime) throws SQLException {
        return DriverManager.getConnection(
                runtime.jdbcUrl(), runtime.postgres().user(), runtime.postgres().password());
    }

    private static String queryString(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            assertThat(result.next()).as("a row from %s", sql).isTrue();
            return result.getString(1);
        }
    }

    private static <T> T withRedis(EmbeddedRuntime runtime, Function<RedisCommands<String, String>, T> action) {
        RedisClient client = RedisClient.create(runtime.redisUri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return action.apply(connection.sync());
        } finally {
            client.shutdown();
        }
    }
}
