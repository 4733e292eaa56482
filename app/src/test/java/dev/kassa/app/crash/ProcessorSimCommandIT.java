package dev.kassa.app.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.processor.ChargeOutcome;
import dev.kassa.processor.ChargeRequest;
import dev.kassa.processor.HttpCardProcessor;
import dev.kassa.processor.Unknown;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kassa processor-sim} as a user runs it (docs/processor-sim.md): a fault set by a start flag,
 * the data directory kept across a SIGKILL, and the sandbox reached only over HTTP.
 */
@Tag("integration")
class ProcessorSimCommandIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final String API_KEY = "sk_test_command_it";

    @TempDir
    Path dataDirectory;

    @Test
    void chargeMadeUnderTheDropFlagIsReturnedOnceAfterAKill() throws InterruptedException {
        // Plan: start kassa processor-sim with --drop-after-commit-rate 1, charge (Unknown: the answer is
        // dropped), SIGKILL it, start it again without faults on the same --data-dir and retry with the
        // key: the retry must be a replay of the one charge the first process made.
        ChargeRequest request = new ChargeRequest(2_500, "gbp", "tok_visa", "pay_command_it");
        KassaProcess first = start("processor-sim-1", List.of("--drop-after-commit-rate", "1"));
        try {
            HttpCardProcessor processor = client(first);
            assertThat(processor.createCharge(request, "key-command-it")).isInstanceOf(Unknown.class);
            assertThat(processor.chargesByReference(request.reference())).hasSize(1);
        } finally {
            first.killAndAwaitExit(Duration.ofSeconds(30));
        }

        KassaProcess second = start("processor-sim-2", List.of());
        try {
            HttpCardProcessor processor = client(second);
            ChargeOutcome retried = processor.createCharge(request, "key-command-it");
            assertThat(retried).isInstanceOfSatisfying(ChargeOutcome.Charged.class,
                    charged -> assertThat(charged.replayed()).isTrue());
            assertThat(processor.chargesByReference(request.reference()))
                    .containsExactly(((ChargeOutcome.Charged) retried).charge());
        } finally {
            second.killAndAwaitExit(Duration.ofSeconds(30));
        }
    }

    private KassaProcess start(String name, List<String> faultFlags) {
        List<String> arguments = new ArrayList<>(List.of("processor-sim", "--port", "0", "--host", "127.0.0.1",
                "--api-key", API_KEY, "--admin-token", "adm_command_it", "--data-dir", dataDirectory.toString(),
                "--seed", "1"));
        arguments.addAll(faultFlags);
        KassaProcess process = KassaProcess.start(name, "128m", arguments);
        process.awaitLine("READY http://", START_TIMEOUT);
        return process;
    }

    private static HttpCardProcessor client(KassaProcess process) {
        String ready = process.tailText().lines().filter(line -> line.startsWith("READY "))
                .reduce((earlier, later) -> later).orElseThrow();
        return new HttpCardProcessor(URI.create(ready.substring("READY ".length()).trim()), API_KEY,
                Duration.ofSeconds(10), Duration.ofSeconds(5));
    }
}
