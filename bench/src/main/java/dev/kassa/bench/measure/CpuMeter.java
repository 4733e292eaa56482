package dev.kassa.bench.measure;

import dev.kassa.bench.report.RunResult;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run cost in CPU, per payment: the machine's (every process on it, from {@code /proc/stat};
 * the embedded Postgres and Redis included, so the bench is meant for a quiet machine) and this
 * JVM's (which hosts the load generator, and the broker, topology, API and sink, or the baseline's
 * server). Under a closed loop the throughput follows whatever the machine happens to be doing; CPU
 * per payment is the efficiency of the design and moves much less between runs, once the JIT
 * compilers' share is set apart: they keep about a core busy for minutes after start, and that share
 * of each run differs from the next. Where {@code /proc} has per-thread counters ({@link ThreadCpu}),
 * the JVM's CPU is also split by component ({@link ThreadComponents}).
 */
public final class CpuMeter {

    private static final Path PROC_STAT = Path.of("/proc/stat");
    private static final ThreadCpu THREADS = new ThreadCpu();

    /**
     * The counters at one instant.
     *
     * @param nanoTime    {@link System#nanoTime()}
     * @param jvmCpuNanos this JVM's CPU time, all threads; -1 if the JVM cannot say
     * @param compileMs   the JIT compilers' time so far; -1 if the JVM cannot say
     * @param machine     the machine's CPU counters; empty without {@code /proc/stat}
     * @param threads     this JVM's threads' CPU counters; empty without {@code /proc/self/task}
     */
    public record Snapshot(long nanoTime, long jvmCpuNanos, long compileMs, Optional<MachineTicks> machine,
                           Optional<ThreadCpu.Snapshot> threads) {
    }

    /**
     * The first line of {@code /proc/stat}, in clock ticks summed over the CPUs.
     *
     * @param busy  user, nice, system, irq, softirq and steal time
     * @param total busy plus idle and iowait
     * @param cpus  how many {@code cpuN} lines follow
     */
    public record MachineTicks(long busy, long total, int cpus) {
    }

    private CpuMeter() {
    }

    public static Snapshot take() {
        return new Snapshot(System.nanoTime(), jvmCpuNanos(), compileMs(), machineTicks(), THREADS.take());
    }

    /** The CPU spent between two snapshots, per payment of {@code payments}; null when nothing was paid. */
    public static RunResult.CpuUse between(Snapshot start, Snapshot end, long payments) {
        if (payments <= 0) {
            return null;
        }
        double wallMs = (end.nanoTime() - start.nanoTime()) / 1e6;
        double jvmMs = start.jvmCpuNanos() < 0 || end.jvmCpuNanos() < 0 ? -1
                : (end.jvmCpuNanos() - start.jvmCpuNanos()) / 1e6 / payments;
        double compileMs = start.compileMs() < 0 || end.compileMs() < 0 ? -1
                : (double) (end.compileMs() - start.compileMs()) / payments;
        Map<String, Double> byComponent = start.threads().isEmpty() || end.threads().isEmpty() ? Map.of()
                : ThreadComponents.msPerPayment(start.threads().get(), end.threads().get(), payments);
        if (start.machine().isEmpty() || end.machine().isEmpty()) {
            return new RunResult.CpuUse(-1, -1, jvmMs, compileMs, -1, byComponent);
        }
        MachineTicks from = start.machine().get();
        MachineTicks to = end.machine().get();
        long totalTicks = to.total() - from.total();
        double busyShare = totalTicks <= 0 ? 0 : (double) (to.busy() - from.busy()) / totalTicks;
        // Ticks are summed over the CPUs, so the busy share times the CPUs times the wall time is CPU time.
        double machineMs = busyShare * to.cpus() * wallMs / payments;
        return new RunResult.CpuUse(to.cpus(), busyShare, jvmMs, compileMs, machineMs, byComponent);
    }

    /**
     * The share of the machine (every CPU) the JIT compilers' threads used between two snapshots;
     * {@code NaN} when this JVM's threads cannot be read.
     */
    public static double jitShare(Snapshot start, Snapshot end) {
        if (start.threads().isEmpty() || end.threads().isEmpty() || end.nanoTime() <= start.nanoTime()) {
            return Double.NaN;
        }
        double jitMs = ThreadComponents.msPerPayment(start.threads().get(), end.threads().get(), 1)
                .getOrDefault(ThreadComponents.JIT, 0.0);
        int cpus = end.machine().map(MachineTicks::cpus).orElse(Runtime.getRuntime().availableProcessors());
        return jitMs / ((end.nanoTime() - start.nanoTime()) / 1e6 * cpus);
    }

    /** Reads {@code /proc/stat}'s text; empty if it does not have the expected aggregate line. */
    static Optional<MachineTicks> parse(List<String> procStat) {
        if (procStat.isEmpty() || !procStat.get(0).startsWith("cpu ")) {
            return Optional.empty();
        }
        String[] fields = procStat.get(0).trim().split("\\s+");
        if (fields.length < 9) {
            return Optional.empty();
        }
        long user = Long.parseLong(fields[1]);
        long nice = Long.parseLong(fields[2]);
        long system = Long.parseLong(fields[3]);
        long idle = Long.parseLong(fields[4]);
        long iowait = Long.parseLong(fields[5]);
        long irq = Long.parseLong(fields[6]);
        long softirq = Long.parseLong(fields[7]);
        long steal = Long.parseLong(fields[8]);
        long busy = user + nice + system + irq + softirq + steal;
        int cpus = (int) procStat.stream().skip(1).filter(line -> line.matches("cpu[0-9]+ .*")).count();
        return cpus == 0 ? Optional.empty() : Optional.of(new MachineTicks(busy, busy + idle + iowait, cpus));
    }

    private static Optional<MachineTicks> machineTicks() {
        try {
            return parse(Files.readAllLines(PROC_STAT));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static long compileMs() {
        CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        return compiler != null && compiler.isCompilationTimeMonitoringSupported()
                ? compiler.getTotalCompilationTime() : -1;
    }

    private static long jvmCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
