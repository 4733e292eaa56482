package dev.kassa.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {

    @Test
    void aSecondLoopOfOneGeneratorGoesOnFromTheFirstsSequences() throws InterruptedException {
        // A warmup is sent in several loops on one plan, and each sequence names a payment (its key).
        LoadGenerator generator = new LoadGenerator();
        ConcurrentLinkedQueue<Long> sequences = new ConcurrentLinkedQueue<>();
        PaymentOperation record = (sequence, intendedStartNanos) -> sequences.add(sequence);

        generator.openLoop(200, Duration.ofMillis(100), 2, record);
        long firstLoop = generator.scheduled();
        generator.openLoop(200, Duration.ofMillis(100), 2, record);
        generator.closedLoop(2, Duration.ofMillis(20), record);

        List<Long> sent = List.copyOf(sequences);
        assertThat(firstLoop).isEqualTo(20);
        assertThat(sent).doesNotHaveDuplicates().hasSize((int) generator.scheduled());
        assertThat(sent).filteredOn(sequence -> sequence < firstLoop).hasSize(20);
    }
}
