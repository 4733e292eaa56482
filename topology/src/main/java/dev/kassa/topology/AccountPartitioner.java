package dev.kassa.topology;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Writes a record to the partition that Kafka's default partitioner gives an account id (murmur2 of
 * its UTF-8 bytes), whatever the record's key: an event keeps its payment id as key and lands on the
 * partition of the account the payment is decided at. Commands are keyed by that account, so when
 * the output topic has as many partitions as {@code payments.commands}, a task writes its payments'
 * events to its own partition number only: a transaction touches one partition of the topic instead
 * of every partition, and the broker writes one commit marker there instead of one on each
 * (docs/architecture.md, Partitions). With another partition count the events are still spread by
 * account, and each payment's events still share one partition.
 *
 * @param <V> the record's value, which names the account
 */
public final class AccountPartitioner<V> implements StreamPartitioner<String, V> {

    private final Function<V, String> account;

    public AccountPartitioner(Function<V, String> account) {
        this.account = Objects.requireNonNull(account, "account");
    }

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, V value, int numPartitions) {
        String accountId = Objects.requireNonNull(account.apply(value),
                () -> "a record on " + topic + " under key " + key + " names no account to partition by");
        return Optional.of(Set.of(partitionOf(accountId, numPartitions)));
    }

    /** The partition Kafka's default partitioner gives a record keyed by {@code accountId}. */
    public static int partitionOf(String accountId, int numPartitions) {
        return Utils.toPositive(Utils.murmur2(accountId.getBytes(StandardCharsets.UTF_8))) % numPartitions;
    }
}
