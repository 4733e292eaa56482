package dev.kassa.bench.measure;

import dev.kassa.bench.report.RunResult;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.Set;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Where the topology's stream threads spent a run, from Kafka's own client metrics: the embedded
 * runtime runs in this JVM and registers them as MBeans here. Cumulative counters (commits, records
 * processed, and the Streams producer's time in {@code flush}, {@code sendOffsetsToTransaction} and
 * {@code commitTransaction}) are taken as differences between a snapshot at the load's start and one
 * at its end, so they cover exactly the load; the thread's poll, process and commit ratios are
 * Kafka's own averages over its last metrics window (about the last minute). Empty when this JVM
 * runs no topology ({@code --target}).
 */
public final class TopologyProfile {

    private static final String STREAM_THREADS = "kafka.streams:type=stream-thread-metrics,thread-id=*";
    private static final String PRODUCERS = "kafka.producer:type=producer-metrics,client-id=*";

    /** The cumulative counters at one instant, summed over the stream threads. */
    public record Snapshot(long nanoTime, double commits, double processed, double flushNanos,
                           double sendOffsetsNanos, double commitNanos) {
    }

    private TopologyProfile() {
    }

    /** The counters now; empty when no stream thread's metrics are registered in this JVM. */
    public static Optional<Snapshot> take() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            Set<ObjectName> threads = server.queryNames(new ObjectName(STREAM_THREADS), null);
            if (threads.isEmpty()) {
                return Optional.empty();
            }
            Set<ObjectName> producers = streamProducers(server);
            return Optional.of(new Snapshot(System.nanoTime(), sum(server, threads, "commit-total"),
                    sum(server, threads, "process-total"), sum(server, producers, "flush-time-ns-total"),
                    sum(server, producers, "txn-send-offsets-time-ns-total"),
                    sum(server, producers, "txn-commit-time-ns-total")));
        } catch (JMException e) {
            return Optional.empty();
        }
    }

    /** The load between two snapshots, with the stream threads' current ratios. */
    public static RunResult.TopologyTime between(Snapshot start, Snapshot end) {
        double seconds = Math.max(1e-9, (end.nanoTime() - start.nanoTime()) / 1e9);
        double commits = end.commits() - start.commits();
        double perCommit = commits > 0 ? 1e6 * commits : Double.NaN;
        double transactionNanos = (end.flushNanos() - start.flushNanos()) + (end.sendOffsetsNanos()
                - start.sendOffsetsNanos()) + (end.commitNanos() - start.commitNanos());
        Ratios ratios = ratios();
        return new RunResult.TopologyTime(commits / seconds, (end.processed() - start.processed()) / seconds,
                (end.flushNanos() - start.flushNanos()) / perCommit,
                (end.sendOffsetsNanos() - start.sendOffsetsNanos()) / perCommit,
                (end.commitNanos() - start.commitNanos()) / perCommit,
                transactionNanos / 1e9 / seconds, ratios.poll(), ratios.process(), ratios.commit());
    }

    private record Ratios(double poll, double process, double commit) {
    }

    /** The stream threads' ratios, averaged over the threads; NaN when unknown. */
    private static Ratios ratios() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            Set<ObjectName> threads = server.queryNames(new ObjectName(STREAM_THREADS), null);
            int count = Math.max(1, threads.size());
            return new Ratios(sum(server, threads, "poll-ratio") / count, sum(server, threads, "process-ratio") / count,
                    sum(server, threads, "commit-ratio") / count);
        } catch (JMException e) {
            return new Ratios(Double.NaN, Double.NaN, Double.NaN);
        }
    }

    /** The stream threads' transactional producers: {@code <application>-<uuid>-StreamThread-<n>-producer}. */
    private static Set<ObjectName> streamProducers(MBeanServer server) throws JMException {
        Set<ObjectName> producers = server.queryNames(new ObjectName(PRODUCERS), null);
        producers.removeIf(name -> !name.getKeyProperty("client-id").matches(".*-StreamThread-\\d+-producer"));
        return producers;
    }

    private static double sum(MBeanServer server, Set<ObjectName> names, String attribute) throws JMException {
        double total = 0;
        for (ObjectName name : names) {
            Object value = server.getAttribute(name, attribute);
            if (value instanceof Number number && !Double.isNaN(number.doubleValue())) {
                total += number.doubleValue();
            }
        }
        return total;
    }
}
