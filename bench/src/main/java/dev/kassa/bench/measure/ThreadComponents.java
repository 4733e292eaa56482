package dev.kassa.bench.measure;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which part of the bench's JVM a thread works for, by the prefix of its name as Linux keeps it (the
 * first 15 characters), so that the JVM's CPU per payment can be split by component. The table is
 * ordered and the first matching prefix wins, so a narrow prefix comes before a broader one it
 * starts with ({@code kafka-producer-} before {@code kafka-}); a thread no prefix matches is
 * {@value #OTHER} (the JVM's own housekeeping, connection pools' housekeepers, Jetty's schedulers,
 * {@code main}).
 */
public final class ThreadComponents {

    public static final String OTHER = "other";
    /** The JIT compilers' threads. */
    public static final String JIT = "jit";
    /** Linux keeps a thread's name in 16 bytes with the terminating NUL; a longer prefix never matches. */
    static final int NAME_LENGTH_MAX = 15;

    private record Rule(String prefix, String component) {

        Rule {
            if (prefix.isEmpty() || prefix.length() > NAME_LENGTH_MAX) {
                throw new IllegalArgumentException("a prefix must have 1-15 characters: '" + prefix + "'");
            }
        }
    }

    private static final List<Rule> RULES = List.of(
            // The embedded broker: request handlers and network threads, then its housekeeping.
            new Rule("data-plane-kafk", "broker"),
            new Rule("quorum-controll", "broker"),
            new Rule("broker-", "broker"),
            new Rule("controller-", "broker"),
            new Rule("ExpirationReape", "broker"),
            // The broker's coordinators of consumer groups and transactions.
            new Rule("group-coordinat", "broker-transactions"),
            new Rule("AddPartitionsTo", "broker-transactions"),
            new Rule("TxnMarkerSender", "broker-transactions"),
            // Kafka clients' own threads, then the broker's other kafka- threads (raft I/O, scheduler).
            new Rule("kafka-producer-", "producer-io"),
            new Rule("kafka-coordinat", "consumer-heartbeat"),
            new Rule("kafka-admin-cli", OTHER),
            new Rule("kafka-", "broker"),
            // Kafka Streams' stream threads and global thread, named after the application id.
            new Rule("kassa-topology-", "topology"),
            new Rule("kassa-api-outco", "api-outcomes"),
            // The API's Jetty request threads, its readiness check and its connection pool's housekeeper.
            new Rule("kassa-api-", "api"),
            new Rule("lettuce-", "redis-client"),
            new Rule("ledger-sink", "sink"),
            // The card scenario's connector: its poll thread, processor calls and retry timer.
            new Rule("kassa-connector", "card-connector"),
            // BaselineServer's Jetty threads and its connection pool's housekeeper.
            new Rule("bench-baseline", "baseline-server"),
            new Rule("delay-proxy-", "delay-proxy"),
            // The load threads, the HttpClient's selector and response threads, the end-to-end probe.
            new Rule("bench-load-", "load-generator"),
            new Rule("bench-http-", "load-generator"),
            new Rule("HttpClient-", "load-generator"),
            new Rule("bench-e2e-", "load-generator"),
            new Rule("bench-progress-", "load-generator"),
            new Rule("C1 CompilerThre", JIT),
            new Rule("C2 CompilerThre", JIT),
            new Rule("GC Thread#", "gc"),
            new Rule("G1 ", "gc"),
            new Rule("rocksdb:", "rocksdb"));

    private ThreadComponents() {
    }

    /** The component of the thread named {@code name}; {@value #OTHER} when no prefix matches. */
    public static String of(String name) {
        for (Rule rule : RULES) {
            if (name.startsWith(rule.prefix())) {
                return rule.component();
            }
        }
        return OTHER;
    }

    /**
     * The CPU milliseconds each component's threads spent between two snapshots, per payment of
     * {@code payments}, largest first; every component that has a live thread at {@code end} is there.
     */
    public static Map<String, Double> msPerPayment(ThreadCpu.Snapshot start, ThreadCpu.Snapshot end, long payments) {
        if (payments <= 0) {
            throw new IllegalArgumentException("payments must be positive: " + payments);
        }
        if (start.ticksPerSecond() != end.ticksPerSecond()) {
            throw new IllegalArgumentException("snapshots in different units: " + start.ticksPerSecond() + " and "
                    + end.ticksPerSecond() + " ticks per second");
        }
        Map<String, Long> ticks = new HashMap<>();
        for (ThreadCpu.ThreadTicks thread : ThreadCpu.spentBetween(start, end)) {
            ticks.merge(of(thread.name()), thread.ticks(), Long::sum);
        }
        double msPerTick = 1_000.0 / end.ticksPerSecond();
        Map<String, Double> perPayment = new LinkedHashMap<>();
        ticks.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(component -> perPayment.put(component.getKey(), component.getValue() * msPerTick / payments));
        return perPayment;
    }
}
