package dev.kassa.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaSettingsTest {

    @TempDir
    Path dataDirectory;

    @Test
    void brokerHoldsAWriteRacingThePreviousTransactionsMarkersInsteadOfRefusingIt() {
        Properties settings = new EmbeddedKafka(dataDirectory, 19092, 19093).settings();

        assertThat(settings).containsEntry("add.partitions.to.txn.retry.backoff.ms", "1")
                .containsEntry("add.partitions.to.txn.retry.backoff.max.ms", "500")
                // Transaction verification (KIP-890) guards exactly once; it is never switched off.
                .doesNotContainKey("transaction.partition.verification.enable");
        KafkaConfig config = KafkaConfig.fromProps(settings, false);
        assertThat(config.getInt("add.partitions.to.txn.retry.backoff.max.ms")).isEqualTo(500);
        assertThat(config.getInt("add.partitions.to.txn.retry.backoff.ms")).isEqualTo(1);
        // The broker caps its own retries at request.timeout.ms; the wait must fit well within it.
        assertThat(config.requestTimeoutMs()).isGreaterThan(500 * 10);
        assertThat(config.getBoolean("transaction.partition.verification.enable")).isTrue();
    }
}
