package dev.kassa.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadComponentsTest {

    @Test
    void threadsAreGroupedByTheFirstPrefixTheirNameStartsWith() {
        assertThat(ThreadComponents.of("data-plane-kafk")).isEqualTo("broker");
        assertThat(ThreadComponents.of("kafka-1-raft-io")).isEqualTo("broker");
        assertThat(ThreadComponents.of("kafka-producer-")).as("before kafka-").isEqualTo("producer-io");
        assertThat(ThreadComponents.of("TxnMarkerSender")).isEqualTo("broker-transactions");
        assertThat(ThreadComponents.of("kassa-topology-")).isEqualTo("topology");
        assertThat(ThreadComponents.of("kassa-api-outco")).as("before kassa-api-").isEqualTo("api-outcomes");
        assertThat(ThreadComponents.of("kassa-api-http-")).isEqualTo("api");
        assertThat(ThreadComponents.of("lettuce-nioEven")).isEqualTo("redis-client");
        assertThat(ThreadComponents.of("ledger-sink")).isEqualTo("sink");
        assertThat(ThreadComponents.of("bench-baseline-")).isEqualTo("baseline-server");
        assertThat(ThreadComponents.of("delay-proxy-401")).isEqualTo("delay-proxy");
        assertThat(ThreadComponents.of("HttpClient-1-Se")).isEqualTo("load-generator");
        assertThat(ThreadComponents.of("C1 CompilerThre")).isEqualTo("jit");
        assertThat(ThreadComponents.of("G1 Conc#0")).isEqualTo("gc");
        assertThat(ThreadComponents.of("rocksdb:low")).isEqualTo("rocksdb");
    }

    @Test
    void aNameNoPrefixMatchesIsOther() {
        assertThat(ThreadComponents.of("VM Thread")).isEqualTo(ThreadComponents.OTHER);
        assertThat(ThreadComponents.of("")).isEqualTo(ThreadComponents.OTHER);
        assertThat(ThreadComponents.of("kassa-topolog")).as("shorter than the prefix")
                .isEqualTo(ThreadComponents.OTHER);
    }

    @Test
    void eachComponentGetsItsThreadsTicksInMillisecondsPerPayment() {
        // 100 ticks a second, 200 payments. Independently: api 40+20 = 60 ticks = 600 ms → 3 ms a payment;
        // a broker thread started after the first snapshot counts all its 30 ticks → 1.5 ms; a thread
        // whose id came back on a new thread with fewer ticks counts from 0 → 10 ticks → 0.5 ms (other);
        // a thread that ended in between is not in the end snapshot and counts nothing.
        ThreadCpu.Snapshot start = new ThreadCpu.Snapshot(100, Map.of(
                1, new ThreadCpu.ThreadTicks("kassa-api-http-", 100),
                2, new ThreadCpu.ThreadTicks("kassa-api-http-", 10),
                3, new ThreadCpu.ThreadTicks("VM Thread", 500),
                4, new ThreadCpu.ThreadTicks("bench-load-1", 70)));
        ThreadCpu.Snapshot end = new ThreadCpu.Snapshot(100, Map.of(
                1, new ThreadCpu.ThreadTicks("kassa-api-http-", 140),
                2, new ThreadCpu.ThreadTicks("kassa-api-http-", 30),
                3, new ThreadCpu.ThreadTicks("Attach Listener", 10),
                5, new ThreadCpu.ThreadTicks("data-plane-kafk", 30)));

        Map<String, Double> perPayment = ThreadComponents.msPerPayment(start, end, 200);

        assertThat(perPayment.keySet()).as("largest first").containsExactly("api", "broker", "other");
        assertThat(perPayment).hasEntrySatisfying("api", ms -> assertThat(ms).isCloseTo(3.0, within(1e-9)))
                .hasEntrySatisfying("broker", ms -> assertThat(ms).isCloseTo(1.5, within(1e-9)))
                .hasEntrySatisfying("other", ms -> assertThat(ms).isCloseTo(0.5, within(1e-9)));
    }

    @Test
    void aComponentWhoseThreadsSpentNothingIsThereWithZero() {
        ThreadCpu.Snapshot both = new ThreadCpu.Snapshot(100, Map.of(1, new ThreadCpu.ThreadTicks("ledger-sink", 9)));

        assertThat(ThreadComponents.msPerPayment(both, both, 10)).containsExactly(entry("sink", 0.0));
    }

    @Test
    void snapshotsInDifferentUnitsOrNoPaymentsAreRefused() {
        ThreadCpu.Snapshot hundred = new ThreadCpu.Snapshot(100, Map.of());
        ThreadCpu.Snapshot thousand = new ThreadCpu.Snapshot(1_000, Map.of());

        assertThatThrownBy(() -> ThreadComponents.msPerPayment(hundred, thousand, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("units");
        assertThatThrownBy(() -> ThreadComponents.msPerPayment(hundred, hundred, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("payments");
    }
}
