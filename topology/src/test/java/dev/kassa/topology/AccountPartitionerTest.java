package dev.kassa.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.model.Ids;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/**
 * Events are written to the partition of the account their payment is decided at, which must be the
 * very partition the API's producer gives a command keyed by that account (docs/events.md): the
 * producer's own partitioner is the oracle here.
 */
class AccountPartitionerTest {

    private record Event(String paymentId, String account) {
    }

    private final AccountPartitioner<Event> partitioner = new AccountPartitioner<>(Event::account);

    @Test
    void anEventLandsWhereTheProducerPutsACommandKeyedByItsAccountWhateverItsKey() {
        for (int partitions : new int[] {1, 2, 3, 6, 7, 64}) {
            for (int i = 0; i < 500; i++) {
                String account = Ids.next(Ids.ACCOUNT);
                int producers = BuiltInPartitioner.partitionForKey(account.getBytes(StandardCharsets.UTF_8), partitions);
                assertThat(partitioner.partitions("payments.events", Ids.next(Ids.PAYMENT), new Event("p", account),
                        partitions))
                        .as("account %s over %d partitions", account, partitions)
                        .contains(Set.of(producers));
            }
        }
    }

    @Test
    void aRecordThatNamesNoAccountIsABugNotARandomPartition() {
        assertThatThrownBy(() -> partitioner.partitions("payments.events", "pay_1", new Event("pay_1", null), 6))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("payments.events")
                .hasMessageContaining("pay_1");
    }
}
