package dev.kassa.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A Kafka client properties file is read as Kafka reads client.properties, and may not touch exactly-once. */
class KafkaClientPropertiesTest {

    static final String SASL_SSL_FILE = """
            # as for kafka-console-producer --command-config
            security.protocol=SASL_SSL
            ssl.truststore.location=/etc/kassa/kafka-truststore.p12
            ssl.truststore.type=PKCS12
            ssl.truststore.password=truststore-secret
            sasl.mechanism=SCRAM-SHA-512
            sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\
                username="kassa" password="kafka-secret";
            """;

    @TempDir
    Path directory;

    @Test
    void aClientPropertiesFileIsReadWithEveryEntry() throws IOException {
        KafkaClientProperties read = KafkaClientProperties.load(write("client.properties", SASL_SSL_FILE));

        assertThat(read.entries()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SASL_SSL",
                "ssl.truststore.location", "/etc/kassa/kafka-truststore.p12",
                "ssl.truststore.type", "PKCS12",
                "ssl.truststore.password", "truststore-secret",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"kassa\" password=\"kafka-secret\";"));
    }

    @Test
    void itsDescriptionNamesTheKeysButNoValue() throws IOException {
        String description = KafkaClientProperties.load(write("client.properties", SASL_SSL_FILE)).toString();

        assertThat(description).contains("sasl.jaas.config", "ssl.truststore.password")
                .doesNotContain("kafka-secret", "truststore-secret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"enable.idempotence=false", "processing.guarantee=at_least_once",
            "isolation.level=read_uncommitted", "acks=1", "transactional.id=mine", "enable.auto.commit=true",
            "auto.offset.reset=latest", "max.in.flight.requests.per.connection=10", "bootstrap.servers=elsewhere:9092",
            "group.id=other", "application.id=other", "producer.acks=1", "consumer.isolation.level=read_uncommitted",
            "main.consumer.enable.auto.commit=true"})
    void aFileSettingWhatExactlyOnceReliesOnIsRefusedNamingTheKey(String line) throws IOException {
        Path file = write("client.properties", "security.protocol=SASL_SSL\n" + line + "\n");
        String key = line.substring(0, line.indexOf('='));

        assertThatThrownBy(() -> KafkaClientProperties.load(file))
                .isInstanceOf(KafkaClientProperties.InvalidException.class)
                .hasMessageStartingWith("Kafka client properties " + file + ": " + key + " is not allowed");
    }

    @Test
    void aMissingFileIsRefusedNamingItsPath() {
        Path missing = directory.resolve("no-such-client.properties");

        assertThatThrownBy(() -> KafkaClientProperties.load(missing))
                .isInstanceOf(KafkaClientProperties.InvalidException.class)
                .hasMessage("cannot read Kafka client properties file " + missing + ": no such file");
    }

    @Test
    void anUnreadableFileIsRefusedNamingItsPath() throws IOException {
        // A directory cannot be read as a file by root either, unlike a file without read permission.
        Path unreadable = Files.createDirectory(directory.resolve("client.properties"));

        assertThatThrownBy(() -> KafkaClientProperties.load(unreadable))
                .isInstanceOf(KafkaClientProperties.InvalidException.class)
                .hasMessageStartingWith("cannot read Kafka client properties file " + unreadable + ": ");
    }

    @Test
    void anUnknownSecurityProtocolIsRefusedWithKafkasOwnMessage() throws IOException {
        Path file = write("client.properties", "security.protocol=TLS\n");

        // Kafka lists the protocols in no fixed order.
        assertThatThrownBy(() -> KafkaClientProperties.load(file))
                .isInstanceOf(KafkaClientProperties.InvalidException.class)
                .hasCauseInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Kafka client properties " + file + ": Invalid value TLS for configuration "
                        + "security.protocol: String must be one of (case insensitive): ")
                .hasMessageContainingAll("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    }

    @Test
    void aKeyTheClientSetsItselfIsRefusedRatherThanOverridden() {
        KafkaClientProperties file = new KafkaClientProperties("client.properties", Map.of("linger.ms", "50"));
        Properties own = new Properties();
        own.put("linger.ms", "1");

        assertThatThrownBy(() -> file.addTo(own, "the API's command producer"))
                .isInstanceOf(KafkaClientProperties.InvalidException.class)
                .hasMessage("Kafka client properties client.properties: linger.ms is set by Kassa for the API's "
                        + "command producer and cannot be changed");
        assertThat(own).containsEntry("linger.ms", "1");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(directory.resolve(name), content);
    }
}
