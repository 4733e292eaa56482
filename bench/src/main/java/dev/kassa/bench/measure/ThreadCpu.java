package dev.kassa.bench.measure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * This JVM's CPU time per thread, from Linux's per-thread counters {@code /proc/self/task/<tid>/stat}
 * (user plus system time, in clock ticks), read in this process without forking one. The thread's
 * name is the {@code stat} line's second field, the same text as {@code comm}: the Java thread's name
 * as HotSpot set it, cut to 15 characters. Two snapshots give each thread's CPU in between: a thread
 * that started in between counts from 0, and one that ended in between is lost with what it spent
 * since the first snapshot, so the threads' sum can fall short of the JVM's own figure. Each thread's
 * figure is good to a tick (10 ms) over the window. Empty without {@code /proc}.
 */
public final class ThreadCpu {

    /**
     * USER_HZ, the unit of {@code utime} and {@code stime}: {@code getconf CLK_TCK} is 100 on Linux
     * x86-64 and arm64. Java cannot ask {@code sysconf} without forking a process, so it is a constant.
     */
    static final long TICKS_PER_SECOND_LINUX = 100;
    private static final Path TASKS = Path.of("/proc/self/task");
    /** {@code utime} and {@code stime} are fields 14 and 15 of proc(5); after the name, field 3 comes first. */
    private static final int UTIME_AFTER_NAME = 14 - 3;
    private static final int STIME_AFTER_NAME = 15 - 3;

    /** One thread's name and the CPU ticks it has spent (or spent in a window). */
    public record ThreadTicks(String name, long ticks) {
    }

    /**
     * Every thread's counters at one instant.
     *
     * @param ticksPerSecond the ticks' unit
     * @param threads        by thread id
     */
    public record Snapshot(long ticksPerSecond, Map<Integer, ThreadTicks> threads) {

        public Snapshot {
            if (ticksPerSecond <= 0) {
                throw new IllegalArgumentException("ticksPerSecond must be positive: " + ticksPerSecond);
            }
            threads = Map.copyOf(threads);
        }
    }

    private final Path tasks;
    private final long ticksPerSecond;

    public ThreadCpu() {
        this(TASKS, TICKS_PER_SECOND_LINUX);
    }

    /** Reads {@code tasks} instead of {@code /proc/self/task}, its ticks in another unit. */
    ThreadCpu(Path tasks, long ticksPerSecond) {
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        if (ticksPerSecond <= 0) {
            throw new IllegalArgumentException("ticksPerSecond must be positive: " + ticksPerSecond);
        }
        this.ticksPerSecond = ticksPerSecond;
    }

    /** Every live thread's counters now; empty when the task directory cannot be listed. */
    public Optional<Snapshot> take() {
        Map<Integer, ThreadTicks> threads = new HashMap<>();
        try (DirectoryStream<Path> tids = Files.newDirectoryStream(tasks)) {
            for (Path tid : tids) {
                read(tid).ifPresent(ticks -> threads.put(Integer.parseInt(tid.getFileName().toString()), ticks));
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.of(new Snapshot(ticksPerSecond, threads));
    }

    /** What each thread alive at {@code end} spent since {@code start}; from 0 for a thread new since then. */
    public static List<ThreadTicks> spentBetween(Snapshot start, Snapshot end) {
        List<ThreadTicks> spent = new ArrayList<>(end.threads().size());
        end.threads().forEach((tid, now) -> {
            ThreadTicks before = start.threads().get(tid);
            // Linux reuses a dead thread's id; a count that went down belongs to a new thread.
            boolean sameThread = before != null && before.ticks() <= now.ticks();
            spent.add(new ThreadTicks(now.name(), sameThread ? now.ticks() - before.ticks() : now.ticks()));
        });
        return spent;
    }

    /**
     * A {@code stat} line's name and {@code utime + stime}; empty if it is not one. The name is what
     * lies between the first {@code (} and the last {@code )}, as it may hold spaces and parentheses.
     */
    static Optional<ThreadTicks> parse(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
            return Optional.empty();
        }
        String[] fields = stat.substring(close + 1).trim().split("\\s+");
        if (fields.length <= STIME_AFTER_NAME) {
            return Optional.empty();
        }
        try {
            long ticks = Long.parseLong(fields[UTIME_AFTER_NAME]) + Long.parseLong(fields[STIME_AFTER_NAME]);
            return Optional.of(new ThreadTicks(stat.substring(open + 1, close), ticks));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** One thread's counters; empty if it ended since the directory was listed. */
    private static Optional<ThreadTicks> read(Path tid) {
        try {
            // Not Files.readString: cutting a name to 15 bytes can split a character, which it would refuse.
            return parse(new String(Files.readAllBytes(tid.resolve("stat")), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
