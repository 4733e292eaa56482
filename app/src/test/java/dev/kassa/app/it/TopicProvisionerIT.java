package dev.kassa.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.app.TopicProvisioner;
import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.testing.SharedRuntime;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A data directory keeps the partition count its topics were created with (docs/architecture.md):
 * starting with another {@code --partitions} must not change what the topology is told, or its
 * repartition topics would no longer match {@code payments.commands}.
 */
@Tag("integration")
@ExtendWith(SharedRuntime.class)
class TopicProvisionerIT {

    @Test
    void existingTopicsKeepTheirPartitionCountWhateverIsAskedNow(EmbeddedRuntime runtime) {
        // Plan: ensure the topics (creating them with the end-to-end gateway's 6 partitions if this
        // shared runtime has none yet) and read the count they have; ask again with a different count:
        // the answer must be the count the topics already have, and asking twice must change nothing.
        int existing = TopicProvisioner.ensureTopics(runtime.bootstrapServers(), 6, (short) 1);
        int other = existing == 2 ? 5 : 2;

        assertThat(TopicProvisioner.ensureTopics(runtime.bootstrapServers(), other, (short) 1)).isEqualTo(existing);
        assertThat(TopicProvisioner.ensureTopics(runtime.bootstrapServers(), existing, (short) 1)).isEqualTo(existing);
    }
}
