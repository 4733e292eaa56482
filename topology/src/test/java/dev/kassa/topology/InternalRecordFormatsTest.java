package dev.kassa.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.model.CreatePayment;
import dev.kassa.model.FraudAssessment;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentKind;
import dev.kassa.topology.authorize.AccountBalance;
import dev.kassa.topology.authorize.Balances;
import dev.kassa.topology.authorize.Leg;
import dev.kassa.topology.dedupe.IdempotencyEntry;
import dev.kassa.topology.dedupe.IdempotencyKeys;
import dev.kassa.topology.refund.RefundablePayment;
import dev.kassa.topology.refund.RefundablePayments;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/**
 * The stores and the repartition topic written with every payment keep the compact binary form
 * (docs/architecture.md, Internal record formats): each value reads back equal, the JSON the release
 * before it wrote (written out here by hand) still reads as what it meant, so an upgraded topology
 * restores its stores and reads the legs in flight, and a damaged value is a
 * {@link SerializationException}.
 */
class InternalRecordFormatsTest {

    private static final Instant CREATED = Instant.parse("2026-03-02T09:00:05Z");

    @Test
    void aBalanceIsStoredCompactlyAndAnEarlierReleasesJsonStillReads() {
        AccountBalance balance = new AccountBalance("acct_alice", "mer_alpha", "usd", false, 12_345);
        String earlier = "{\"accountId\":\"acct_alice\",\"merchantId\":\"mer_alpha\",\"currency\":\"usd\","
                + "\"allowNegative\":false,\"balance\":12345}";

        assertCompact(Balances.VALUE_SERDE, balance);
        assertThat(Balances.VALUE_SERDE.fromBytes(utf8(earlier))).isEqualTo(balance);
        AccountBalance external = new AccountBalance("acct_external_usd", "mer_alpha", "usd", true, -9_000);
        assertCompact(Balances.VALUE_SERDE, external);
    }

    @Test
    void anIdempotencyEntryIsStoredCompactlyAndAnEarlierReleasesJsonStillReads() {
        IdempotencyEntry entry = new IdempotencyEntry("pay_x", 1_772_442_005_000L, "f00d");
        String earlier = "{\"resourceId\":\"pay_x\",\"firstSeenMs\":1772442005000,\"requestFingerprint\":\"f00d\"}";

        assertCompact(IdempotencyKeys.VALUE_SERDE, entry);
        assertCompact(IdempotencyKeys.VALUE_SERDE, new IdempotencyEntry("acct_x", 1, null));
        assertThat(IdempotencyKeys.VALUE_SERDE.fromBytes(utf8(earlier))).isEqualTo(entry);
    }

    @Test
    void aRefundablePaymentIsStoredCompactlyAndAnEarlierReleasesJsonStillReads() {
        RefundablePayment entry = new RefundablePayment(payment().completed().refunded(100), 4);
        String earlier = "{\"payment\":" + PreviousReleaseLegs.payment("pay_x", "key-9", "payment", "completed",
                "acct_alice", "acct_bob", 300, CREATED) + ",\"nextSequence\":3}";

        assertCompact(RefundablePayments.VALUE_SERDE, entry);
        RefundablePayment read = RefundablePayments.VALUE_SERDE.fromBytes(utf8(earlier));
        assertThat(read.nextSequence()).isEqualTo(3);
        assertThat(read.payment()).isEqualTo(payment().completed());
    }

    @Test
    void aCompletedCreditTravelsCompactlyAndEveryRarerLegAsJson() {
        Payment judged = payment().withFraud(new FraudAssessment(40, FraudAssessment.Decision.ALLOW,
                List.of("more than 5,000.00 usd in one payment")));
        Leg.CompletedCredit credit = new Leg.CompletedCredit(judged.completed(), 2);
        assertCompact(Leg.SERDE, credit);

        for (Leg leg : List.of(new Leg.Debit(judged, false), new Leg.Credit(judged, true, true),
                new Leg.Reverse(judged, dev.kassa.model.DeclineCode.INSUFFICIENT_FUNDS))) {
            byte[] bytes = Leg.SERDE.toBytes(leg);
            assertThat(bytes[0]).as("%s", leg).isEqualTo((byte) '{');
            assertThat(Leg.SERDE.fromBytes(bytes)).isEqualTo(leg);
        }
    }

    /** {@code value} is written in the binary form, reads back equal, and no truncation of it reads. */
    private static <T> void assertCompact(Serde<T> serde, T value) {
        byte[] bytes = serde.serializer().serialize("topic", value);
        assertThat(bytes[0]).isNotEqualTo((byte) '{');
        assertThat(serde.deserializer().deserialize("topic", bytes)).isEqualTo(value);
        for (int length = 0; length < bytes.length; length++) {
            byte[] truncated = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> serde.deserializer().deserialize("topic", truncated))
                    .as("the first %d of %d bytes of %s", length, bytes.length, value)
                    .isInstanceOf(SerializationException.class);
        }
    }

    private static Payment payment() {
        return Payment.pending(new CreatePayment("pay_x", "mer_alpha", "key-9", PaymentKind.PAYMENT, 300, "usd",
                "acct_alice", "acct_bob", "test", Map.of(), CREATED, null));
    }

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
