package dev.kassa.processor.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.processor.Charge;
import dev.kassa.processor.ChargeOutcome;
import dev.kassa.processor.ChargeRequest;
import dev.kassa.processor.HttpCardProcessor;
import dev.kassa.processor.Refund;
import dev.kassa.processor.RefundOutcome;
import dev.kassa.processor.Rejected;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refunds and the settlement report (docs/processor-sim.md), each test on a fresh sandbox process, so
 * that a day's report holds only the test's own charges and its lines can be written out in advance.
 */
@Tag("integration")
class SettlementAndRefundIT {

    @TempDir
    Path dataDirectory;

    private SandboxProcess sandbox;
    private HttpCardProcessor processor;

    @BeforeEach
    void startSandbox() {
        sandbox = SandboxProcess.start(dataDirectory, 7);
        processor = new HttpCardProcessor(sandbox.uri(), SandboxProcess.API_KEY, Duration.ofSeconds(10), Duration.ofSeconds(5));
    }

    @AfterEach
    void stopSandbox() throws InterruptedException {
        sandbox.close();
    }

    @Test
    void refundsWithinTheChargeSucceedAndBeyondItAreRefused() {
        // Plan: charge 1,250, refund 500, then the rest by default (750), then 1 more: refused 402, since
        // nothing is left. A declined charge cannot be refunded at all.
        Charge charge = charge(1_250, "tok_visa");

        RefundOutcome part = processor.refund(charge.id(), OptionalLong.of(500), key());
        RefundOutcome rest = processor.refund(charge.id(), OptionalLong.empty(), key());
        RefundOutcome beyond = processor.refund(charge.id(), OptionalLong.of(1), key());
        Charge declined = ((ChargeOutcome.Declined) processor.createCharge(
                new ChargeRequest(900, "usd", "tok_chargeDeclined", reference()), key())).charge();
        RefundOutcome ofDeclined = processor.refund(declined.id(), OptionalLong.empty(), key());

        assertThat(part).isInstanceOfSatisfying(RefundOutcome.Refunded.class, refunded -> {
            assertThat(refunded.refund().amount()).isEqualTo(500);
            assertThat(refunded.refund().charge()).isEqualTo(charge.id());
            assertThat(refunded.refund().currency()).isEqualTo("usd");
        });
        assertThat(rest).isInstanceOfSatisfying(RefundOutcome.Refunded.class,
                refunded -> assertThat(refunded.refund().amount()).isEqualTo(750));
        assertThat(beyond).isInstanceOfSatisfying(Rejected.class, rejected -> {
            assertThat(rejected.status()).isEqualTo(402);
            assertThat(rejected.code()).isEqualTo("refund_exceeds_charge");
        });
        assertThat(ofDeclined).isInstanceOfSatisfying(Rejected.class, rejected -> {
            assertThat(rejected.status()).isEqualTo(400);
            assertThat(rejected.code()).isEqualTo("charge_not_refundable");
        });
    }

    @Test
    void reportListsSucceededChargesAndNegativeRefundsOfTheDay() {
        // Plan: two succeeded charges, a declined one, one under review and a refund of 300. The report
        // must list the two charges with their fees and the refund as -300 with fee 0, in creation
        // order, and nothing for the declined or reviewed charge.
        Charge first = charge(1_250, "tok_visa");
        Charge second = charge(10_000, "tok_mastercard");
        processor.createCharge(new ChargeRequest(700, "usd", "tok_expired", reference()), key());
        processor.createCharge(new ChargeRequest(700, "usd", "tok_review", reference()), key());
        Refund refund = ((RefundOutcome.Refunded) processor.refund(second.id(), OptionalLong.of(300), key())).refund();

        String report = processor.settlementReport(day(first));

        assertThat(report.lines().toList()).containsExactly(
                "type,id,charge,reference,amount,currency,fee,created",
                line("charge", first.id(), first, "1250", "66", first.created().toString()),
                line("charge", second.id(), second, "10000", "320", second.created().toString()),
                line("refund", refund.id(), second, "-300", "0", refund.created().toString()));
    }

    @Test
    void reportFaultsLeaveOutRepeatAndMisstateTheConfiguredLines() {
        // Plan: three charges; with settlement_missing=1 and settlement_duplicate=1 the report must lack
        // the first line and carry the (new) first line twice; with settlement_misstated=1 as well, the
        // line after the repeated one states 1003 for the 1002 charged; with the faults off it is whole again.
        List<Charge> charges = new ArrayList<>();
        for (int index = 0; index < 3; index++) {
            charges.add(charge(1_000 + index, "tok_visa"));
        }
        LocalDate day = day(charges.get(0));
        String whole = processor.settlementReport(day);
        sandbox.putFaults("{\"settlement_missing\": 1, \"settlement_duplicate\": 1}");

        List<String> faulty = processor.settlementReport(day).lines().toList();

        List<String> lines = whole.lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(faulty).containsExactly(lines.get(0), lines.get(2), lines.get(2), lines.get(3));
        sandbox.putFaults("{\"settlement_missing\": 1, \"settlement_duplicate\": 1, \"settlement_misstated\": 1}");
        assertThat(processor.settlementReport(day).lines().toList()).containsExactly(lines.get(0), lines.get(2),
                lines.get(2), lines.get(3).replace(",1002,usd,", ",1003,usd,"));
        sandbox.putFaults("{}");
        assertThat(processor.settlementReport(day)).isEqualTo(whole);
    }

    private Charge charge(long amount, String token) {
        ChargeOutcome outcome = processor.createCharge(new ChargeRequest(amount, "usd", token, reference()), key());
        return ((ChargeOutcome.Charged) outcome).charge();
    }

    private static String line(String type, String id, Charge charge, String amount, String fee, String created) {
        return String.join(",", type, id, charge.id(), charge.reference(), amount, "usd", fee, created);
    }

    private static LocalDate day(Charge charge) {
        return LocalDate.ofInstant(charge.created(), ZoneOffset.UTC);
    }

    private static String reference() {
        return "pay_" + UUID.randomUUID().toString().replace("-", "");
    }

    private static String key() {
        return "key-" + UUID.randomUUID();
    }
}
