package dev.kassa.processor.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.processor.Charge;
import dev.kassa.processor.ChargeOutcome;
import dev.kassa.processor.ChargeRequest;
import dev.kassa.processor.HttpCardProcessor;
import dev.kassa.processor.RefundOutcome;
import dev.kassa.processor.Unknown;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox's state survives SIGKILL (docs/processor-sim.md, "Journal"): charges, refunds and
 * idempotency records are replayed from the data directory, so a retry after the restart gets the
 * charge made before the crash, never a second one.
 */
@Tag("integration")
class SandboxRestartIT {

    @TempDir
    Path dataDirectory;

    @Test
    void chargeWhoseAnswerWasLostIsReturnedByTheRetryAfterAKill() throws InterruptedException {
        // Plan: with every new creation's answer dropped, charge once (client sees Unknown) and make a
        // second, answered charge and a refund. SIGKILL the sandbox, start a new one on the same
        // directory, and retry all three with their keys: each must come back replayed and identical,
        // and each reference must still hold exactly one charge.
        ChargeRequest lostRequest = new ChargeRequest(3_300, "usd", "tok_visa", reference());
        ChargeRequest answeredRequest = new ChargeRequest(5_000, "eur", "tok_mastercard", reference());
        String lostKey = "key-" + UUID.randomUUID();
        String answeredKey = "key-" + UUID.randomUUID();
        String refundKey = "key-" + UUID.randomUUID();
        Charge answered;
        RefundOutcome refunded;
        Charge lost;
        try (SandboxProcess first = SandboxProcess.start(dataDirectory, 1)) {
            HttpCardProcessor processor = client(first);
            answered = ((ChargeOutcome.Charged) processor.createCharge(answeredRequest, answeredKey)).charge();
            refunded = processor.refund(answered.id(), OptionalLong.of(1_000), refundKey);
            first.putFaults("{\"drop_after_commit_rate\": \"1\"}");
            assertThat(processor.createCharge(lostRequest, lostKey)).isInstanceOf(Unknown.class);
            lost = processor.chargesByReference(lostRequest.reference()).get(0);
            first.kill();
        }

        try (SandboxProcess second = SandboxProcess.start(dataDirectory, 2)) {
            HttpCardProcessor processor = client(second);
            assertThat(processor.createCharge(lostRequest, lostKey)).isEqualTo(new ChargeOutcome.Charged(lost, true));
            assertThat(processor.createCharge(answeredRequest, answeredKey)).isEqualTo(new ChargeOutcome.Charged(answered, true));
            assertThat(processor.refund(answered.id(), OptionalLong.of(1_000), refundKey))
                    .isEqualTo(new RefundOutcome.Refunded(((RefundOutcome.Refunded) refunded).refund(), true));
            assertThat(processor.chargesByReference(lostRequest.reference())).containsExactly(lost);
            assertThat(processor.chargesByReference(answeredRequest.reference())).containsExactly(answered);
            assertThat(processor.charge(lost.id())).contains(lost);
        }
    }

    private static HttpCardProcessor client(SandboxProcess sandbox) {
        return new HttpCardProcessor(sandbox.uri(), SandboxProcess.API_KEY, Duration.ofSeconds(10), Duration.ofSeconds(5));
    }

    private static String reference() {
        return "pay_" + UUID.randomUUID().toString().replace("-", "");
    }
}
