package dev.kassa.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleTableTest {

    @Test
    void cpuByComponentIsOneLineLargestFirstWithTheSmallestFoldedIntoOther() {
        // jit 0.004 and gc 0.009 are under 0.01 ms: they join other's 0.02, which then outweighs sink's 0.021.
        Map<String, Double> msPerPayment = new LinkedHashMap<>();
        msPerPayment.put("api", 0.4);
        msPerPayment.put("broker", 0.3151);
        msPerPayment.put("other", 0.02);
        msPerPayment.put("sink", 0.021);
        msPerPayment.put("gc", 0.009);
        msPerPayment.put("jit", 0.004);

        assertThat(ConsoleTable.cpuByComponent("steady", msPerPayment)).isEqualTo(
                "steady cpu by component (ms per payment): api 0.40, broker 0.32, other 0.03, sink 0.02"
                        + System.lineSeparator());
    }

    @Test
    void withoutComponentsThereIsNoLine() {
        assertThat(ConsoleTable.cpuByComponent("steady", Map.of())).isEmpty();
    }
}
