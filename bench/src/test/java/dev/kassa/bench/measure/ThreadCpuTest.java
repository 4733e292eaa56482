package dev.kassa.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThreadCpuTest {

    /** A {@code stat} line as proc(5) lays it out: utime 1500 and stime 250 are fields 14 and 15. */
    private static String stat(int tid, String name, long utime, long stime) {
        return tid + " (" + name + ") S 1 1 1 0 -1 4194368 900 0 3 0 " + utime + " " + stime
                + " 0 0 20 0 42 0 1719 8830976000 52000 18446744073709551615 1 1 0 0 0 0 4 0 16796879 0 0 0 -1 1 0 0"
                + " 0 0 0 0 0 0 0 0 0 0\n";
    }

    @Test
    void nameAndTicksComeFromAStatLine() {
        assertThat(ThreadCpu.parse(stat(1234, "C2 CompilerThre", 1500, 250)))
                .contains(new ThreadCpu.ThreadTicks("C2 CompilerThre", 1750));
    }

    @Test
    void theNameRunsFromTheFirstOpeningToTheLastClosingParenthesis() {
        // A thread may be named anything; the fields after the name hold no parenthesis.
        assertThat(ThreadCpu.parse(stat(7, "(a) b)", 3, 4))).contains(new ThreadCpu.ThreadTicks("(a) b)", 7));
        assertThat(ThreadCpu.parse(stat(8, ") x (", 0, 1))).contains(new ThreadCpu.ThreadTicks(") x (", 1));
    }

    @Test
    void anythingElseIsNoThread() {
        assertThat(ThreadCpu.parse("")).isEmpty();
        assertThat(ThreadCpu.parse("1234 C2 S 1 1 1 0 -1 4194368 900 0 3 0 1500 250")).as("no name").isEmpty();
        assertThat(ThreadCpu.parse("1234 (C2) S 1 1 1 0 -1 4194368 900 0 3 0 1500")).as("no stime").isEmpty();
        assertThat(ThreadCpu.parse("1234 (C2) S 1 1 1 0 -1 4194368 900 0 3 0 x 250")).as("not a number").isEmpty();
    }

    @Test
    void aSnapshotReadsEveryThreadStillThereInTicksOfTheGivenRate(@TempDir Path tasks) throws IOException {
        // Thread 12 ended between the listing and the reading: its directory is there, its stat is not.
        Files.createDirectories(tasks.resolve("11"));
        Files.writeString(tasks.resolve("11").resolve("stat"), stat(11, "kassa-api-http-", 20, 5));
        Files.createDirectories(tasks.resolve("12"));

        ThreadCpu.Snapshot snapshot = new ThreadCpu(tasks, 250).take().orElseThrow();

        assertThat(snapshot.ticksPerSecond()).isEqualTo(250);
        assertThat(snapshot.threads()).containsExactly(Map.entry(11, new ThreadCpu.ThreadTicks("kassa-api-http-", 25)));
    }

    @Test
    void withoutATaskDirectoryThereIsNoSnapshot(@TempDir Path directory) {
        assertThat(new ThreadCpu(directory.resolve("absent"), 100).take()).isEmpty();
    }

    @Test
    void thisJvmsThreadsAreReadFromProcOnLinux() throws InterruptedException {
        // CI runs on Linux, where HotSpot gives each thread it starts its Java name, cut to 15 characters.
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread thread = new Thread(() -> {
            started.countDown();
            awaitQuietly(done);
        }, "thread-cpu-test-probe");
        thread.start();
        started.await();
        try {
            ThreadCpu.Snapshot snapshot = new ThreadCpu().take().orElseThrow();

            assertThat(snapshot.ticksPerSecond()).isEqualTo(100);
            assertThat(snapshot.threads().values()).filteredOn(ticks -> ticks.name().equals("thread-cpu-test"))
                    .singleElement().satisfies(ticks -> assertThat(ticks.ticks()).isNotNegative());
        } finally {
            done.countDown();
            thread.join();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
