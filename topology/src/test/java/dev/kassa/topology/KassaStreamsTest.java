package dev.kassa.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner without a broker: creating it connects to nothing, and an unstarted runner closes at once. */
class KassaStreamsTest {

    @TempDir
    Path stateDir;

    @Test
    void unstartedRunnerIsNotRunningDescribesTheTopologyAndClosesWithinItsBound() {
        StreamsSettings settings = StreamsSettings.builder().bootstrapServers("localhost:1").stateDir(stateDir).streamThreads(1)
                .closeTimeout(Duration.ofSeconds(5)).build();
        KassaStreams streams = KassaStreams.create(TopologySettings.defaults(), settings);

        assertThat(streams.isRunning()).isFalse();
        assertThat(streams.state()).isEqualTo(KafkaStreams.State.CREATED);
        assertThat(streams.describe()).contains(KassaTopology.AUTHORIZE_CREDITS, KassaTopology.BALANCES_STORE,
                KassaTopology.DEDUPE, KassaTopology.IDEMPOTENCY_KEYS_STORE);
        // Before start no instance owns any key: the answer must be "ask again", never "not found".
        assertThat(streams.idempotencyKey("mer_alpha", "order-1", "acct_alice"))
                .isInstanceOf(StoreLookup.Unavailable.class);
        assertThat(streams.idempotencyKey("mer_alpha", "order-1", null))
                .isInstanceOf(StoreLookup.Unavailable.class);

        assertThat(streams.close(Duration.ofSeconds(5))).isTrue();
        assertThat(streams.state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
    }
}
