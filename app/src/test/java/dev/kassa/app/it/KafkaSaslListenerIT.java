package dev.kassa.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kassa.app.RulePublisher;
import dev.kassa.app.TopicProvisioner;
import dev.kassa.fraud.RuleSet;
import dev.kassa.ledger.sink.SinkSettings;
import dev.kassa.model.KafkaClientProperties;
import dev.kassa.model.Topics;
import dev.kassa.runtime.EmbeddedKafka;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka client properties file ({@code --kafka-config}) is all a Kassa client needs to pass a
 * broker's SASL: a real embedded broker of this class's own gets a SASL_PLAINTEXT listener that knows
 * one PLAIN user. Plan: publish a rule set there through {@link RulePublisher} — the topic
 * provisioner's admin client and {@code kassa rules push}'s producer — configured only by the file,
 * and read it back with the ledger sink's consumer properties and the same file; the published bytes
 * are the oracle. Then show the listener really demands SASL: a producer without the file gets no
 * metadata from it (while the same producer is served by the PLAINTEXT listener), and a file with a
 * wrong password is refused by the broker's authentication.
 */
@Tag("integration")
class KafkaSaslListenerIT {

    private static final String USER = "kassa";
    private static final String PASSWORD = "sasl-it-password";

    @TempDir
    static Path directory;

    private static EmbeddedKafka kafka;
    private static EmbeddedKafka.SaslPlainListener sasl;

    @BeforeAll
    static void startBroker() throws IOException {
        int[] ports = freePorts(3);
        sasl = new EmbeddedKafka.SaslPlainListener(ports[2], USER, PASSWORD);
        kafka = new EmbeddedKafka(directory.resolve("data"), ports[0], ports[1], null, sasl);
        kafka.start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aClientConfiguredOnlyByThePropertiesFilePublishesAndReadsThroughTheSaslListener() throws IOException {
        KafkaClientProperties file = KafkaClientProperties.load(clientProperties("client.properties", PASSWORD));
        byte[] ruleFile = RuleSet.defaults().toJson();

        RulePublisher.publish(sasl.bootstrapServers(), file, 1, (short) 1, ruleFile);

        Properties consumer = SinkSettings.builder().bootstrapServers(sasl.bootstrapServers()).groupId("sasl-it")
                .kafkaClient(file).build().consumerProperties();
        TopicPartition rules = new TopicPartition(Topics.FRAUD_RULES.name(), 0);
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(consumer)) {
            reader.assign(List.of(rules));
            reader.seekToBeginning(List.of(rules));
            List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                reader.poll(Duration.ofMillis(200)).forEach(read::add);
                return !read.isEmpty();
            });
            assertThat(new String(read.get(0).key())).isEqualTo(Topics.FRAUD_RULES_KEY);
            assertThat(read.get(0).value()).isEqualTo(ruleFile);
        }
    }

    @Test
    void aClientWithoutThePropertiesFileGetsNothingFromTheSaslListener() throws Exception {
        Properties plain = new Properties();
        plain.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "3000");
        plain.put(ProducerConfig.ACKS_CONFIG, "all");
        byte[] value = "{}".getBytes();
        // The control: the PLAINTEXT listener serves this very producer.
        plain.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        TopicProvisioner.ensureTopics(kafka.bootstrapServers(), 1, (short) 1);
        try (KafkaProducer<String, byte[]> producer = producer(plain)) {
            assertThat(producer.send(new ProducerRecord<>(Topics.DEAD_LETTER.name(), "k", value))
                    .get(30, TimeUnit.SECONDS).offset()).isNotNegative();
        }

        plain.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, sasl.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = producer(plain)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.DEAD_LETTER.name(), "k", value))
                    .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TimeoutException.class);
        }
    }

    @Test
    void aPropertiesFileWithAWrongPasswordIsRefusedByTheBroker() throws IOException {
        KafkaClientProperties wrong = KafkaClientProperties.load(clientProperties("wrong.properties", "not-it"));

        assertThatThrownBy(() -> RulePublisher.publish(sasl.bootstrapServers(), wrong, 1, (short) 1,
                RuleSet.defaults().toJson()))
                .isInstanceOf(IllegalStateException.class)
                .hasRootCauseInstanceOf(SaslAuthenticationException.class);
    }

    private static Path clientProperties(String name, String password) throws IOException {
        return Files.writeString(directory.resolve(name), """
                security.protocol=SASL_PLAINTEXT
                sasl.mechanism=PLAIN
                sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \\
                    username="%s" password="%s";
                """.formatted(USER, password));
    }

    private static KafkaProducer<String, byte[]> producer(Properties properties) {
        return new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }

    /** Distinct ports nothing listens on, all held open until every one is chosen. */
    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0);
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
