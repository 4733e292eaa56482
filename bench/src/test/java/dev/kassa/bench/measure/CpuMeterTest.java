package dev.kassa.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import dev.kassa.bench.report.RunResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CpuMeterTest {

    @Test
    void readsBusyAndTotalTicksAndCountsTheCpus() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        List<String> procStat = List.of(
                "cpu  100 20 30 800 40 5 6 7 0 0",
                "cpu0 50 10 15 400 20 2 3 3 0 0",
                "cpu1 50 10 15 400 20 3 3 4 0 0",
                "intr 12345 0 0",
                "ctxt 999");

        assertThat(CpuMeter.parse(procStat)).contains(new CpuMeter.MachineTicks(168, 1008, 2));
    }

    @Test
    void anythingElseIsNotMeasured() {
        assertThat(CpuMeter.parse(List.of())).isEmpty();
        assertThat(CpuMeter.parse(List.of("intr 1 2 3"))).isEmpty();
        assertThat(CpuMeter.parse(List.of("cpu  1 2 3"))).isEmpty();
        assertThat(CpuMeter.parse(List.of("cpu  1 2 3 4 5 6 7 8"))).as("no cpuN lines").isEmpty();
    }

    @Test
    void perPaymentCostIsTheBusyShareOfEveryCpuOverTheWindow() {
        // 2 CPUs, 1 s: 150 of 200 ticks busy is 1.5 CPU-seconds, over 500 payments 3 ms each.
        CpuMeter.Snapshot start = new CpuMeter.Snapshot(0, 1_000_000_000L, 4_000,
                Optional.of(new CpuMeter.MachineTicks(1_000, 5_000, 2)), Optional.empty());
        CpuMeter.Snapshot end = new CpuMeter.Snapshot(1_000_000_000L, 2_000_000_000L, 4_250,
                Optional.of(new CpuMeter.MachineTicks(1_150, 5_200, 2)), Optional.empty());

        RunResult.CpuUse cpu = CpuMeter.between(start, end, 500);

        assertThat(cpu.machineCpus()).isEqualTo(2);
        assertThat(cpu.machineBusyShare()).isCloseTo(0.75, within(1e-9));
        assertThat(cpu.machineCpuMsPerPayment()).isCloseTo(3.0, within(1e-9));
        assertThat(cpu.jvmCpuMsPerPayment()).isCloseTo(2.0, within(1e-9));
        assertThat(cpu.jvmCompileMsPerPayment()).isCloseTo(0.5, within(1e-9));
        assertThat(cpu.jvmCpuMsPerPaymentByComponent()).as("no thread counters").isEmpty();
    }

    @Test
    void threadCountersSplitTheJvmsCpuByComponent() {
        // 100 ticks a second, 100 payments: the API thread spends 30 ticks (300 ms), the C2 compiler 10 (100 ms).
        ThreadCpu.Snapshot threadsAtStart = new ThreadCpu.Snapshot(100, Map.of(
                1, new ThreadCpu.ThreadTicks("kassa-api-http-", 50),
                2, new ThreadCpu.ThreadTicks("C2 CompilerThre", 500)));
        ThreadCpu.Snapshot threadsAtEnd = new ThreadCpu.Snapshot(100, Map.of(
                1, new ThreadCpu.ThreadTicks("kassa-api-http-", 80),
                2, new ThreadCpu.ThreadTicks("C2 CompilerThre", 510)));
        CpuMeter.Snapshot start = new CpuMeter.Snapshot(0, 0, 0, Optional.empty(), Optional.of(threadsAtStart));
        CpuMeter.Snapshot end = new CpuMeter.Snapshot(1_000_000_000L, 400_000_000L, 100, Optional.empty(),
                Optional.of(threadsAtEnd));

        RunResult.CpuUse cpu = CpuMeter.between(start, end, 100);

        assertThat(cpu.jvmCpuMsPerPaymentByComponent()).containsExactly(entry("api", 3.0), entry("jit", 1.0));
        assertThat(cpu.machineCpuMsPerPayment()).as("no /proc/stat").isEqualTo(-1);
    }

    @Test
    void withoutPaymentsOrCountersThereIsNoFigure() {
        CpuMeter.Snapshot noMachine = new CpuMeter.Snapshot(0, -1, -1, Optional.empty(), Optional.empty());

        assertThat(CpuMeter.between(noMachine, noMachine, 0)).isNull();
        assertThat(CpuMeter.between(noMachine, noMachine, 10))
                .isEqualTo(new RunResult.CpuUse(-1, -1, -1, -1, -1, Map.of()));
    }

    @Test
    void theJitShareIsTheCompilerThreadsCpuOverEveryCpuOfTheWindow() {
        // 100 ticks a second, 2 CPUs, 10 s: C1 spends 20 ticks and C2 40 (0.6 s) of 20 CPU-seconds, 3 %.
        ThreadCpu.Snapshot threadsAtStart = new ThreadCpu.Snapshot(100, Map.of(
                1, new ThreadCpu.ThreadTicks("kassa-api-http-", 50),
                2, new ThreadCpu.ThreadTicks("C1 CompilerThre", 100),
                3, new ThreadCpu.ThreadTicks("C2 CompilerThre", 500)));
        ThreadCpu.Snapshot threadsAtEnd = new ThreadCpu.Snapshot(100, Map.of(
                1, new ThreadCpu.ThreadTicks("kassa-api-http-", 950),
                2, new ThreadCpu.ThreadTicks("C1 CompilerThre", 120),
                3, new ThreadCpu.ThreadTicks("C2 CompilerThre", 540)));
        CpuMeter.Snapshot start = new CpuMeter.Snapshot(0, -1, -1,
                Optional.of(new CpuMeter.MachineTicks(0, 0, 2)), Optional.of(threadsAtStart));
        CpuMeter.Snapshot end = new CpuMeter.Snapshot(10_000_000_000L, -1, -1,
                Optional.of(new CpuMeter.MachineTicks(0, 0, 2)), Optional.of(threadsAtEnd));

        assertThat(CpuMeter.jitShare(start, end)).isCloseTo(0.03, within(1e-9));
        CpuMeter.Snapshot blind = new CpuMeter.Snapshot(10_000_000_000L, -1, -1, Optional.empty(), Optional.empty());
        assertThat(CpuMeter.jitShare(start, blind)).as("no thread counters").isNaN();
    }
}
