package dev.kassa.api.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kassa.api.error.ApiException;
import dev.kassa.api.error.ErrorCode;
import dev.kassa.api.error.PaymentDeclinedException;
import dev.kassa.api.http.ApiResponse;
import dev.kassa.api.http.ErrorMapper;
import dev.kassa.model.DeclineCode;
import dev.kassa.model.FraudAssessment;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentKind;
import dev.kassa.model.PaymentStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PaymentRebuilderTest {

    private static final String ID = "pay_0190f3a2b4c67d8e9f0a1b2c3d4e5f60";

    @Test
    void completedResponseIsRebuiltAsFirstAnsweredEvenAfterRefunds() {
        // The oracle is the first answer itself, rendered from the payment as it was then.
        ApiResponse first = ApiResponse.paymentOutcome(payment(PaymentStatus.COMPLETED, 0, null));
        for (Payment later : List.of(payment(PaymentStatus.COMPLETED, 0, null),
                payment(PaymentStatus.PARTIALLY_REFUNDED, 700, null), payment(PaymentStatus.REFUNDED, 2_500, null))) {
            Optional<ApiResponse> rebuilt = new PaymentRebuilder((merchant, id) -> Optional.of(later)).rebuild("mer_1", ID, 201);

            assertThat(rebuilt).as("from %s", later.status()).contains(first.asReplay());
        }
    }

    @Test
    void declineIsRebuiltInTheErrorShapeByteForByte() {
        Payment failed = payment(PaymentStatus.FAILED, 0, DeclineCode.values()[0]);
        PaymentDeclinedException thrown = catchThrowableOfType(PaymentDeclinedException.class,
                () -> ApiResponse.paymentOutcome(failed));
        ApiResponse first = ErrorMapper.render(thrown);

        Optional<ApiResponse> rebuilt = new PaymentRebuilder((merchant, id) -> Optional.of(failed)).rebuild("mer_1", ID, 402);

        assertThat(thrown.paymentId()).isEqualTo(ID);
        assertThat(rebuilt).contains(first.asReplay());
    }

    @Test
    void aPaymentThatCannotHaveBeenTheAnswerRebuildsNothing() {
        assertThat(rebuilder(Optional.empty()).rebuild("mer_1", ID, 201)).isEmpty();
        assertThat(rebuilder(Optional.of(payment(PaymentStatus.PENDING, 0, null))).rebuild("mer_1", ID, 201)).isEmpty();
        assertThat(rebuilder(Optional.of(payment(PaymentStatus.PENDING, 0, null))).rebuild("mer_1", ID, 402)).isEmpty();
        assertThat(rebuilder(Optional.of(payment(PaymentStatus.COMPLETED, 0, null))).rebuild("mer_1", ID, 402)).isEmpty();
        assertThat(rebuilder(Optional.of(payment(PaymentStatus.FAILED, 0, DeclineCode.values()[0]))).rebuild("mer_1", ID, 201))
                .isEmpty();
    }

    @Test
    void anUnavailableDatabaseRebuildsNothingForNow() {
        PaymentRebuilder rebuilder = new PaymentRebuilder((merchant, id) -> {
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "the database is unavailable; retry later");
        });

        assertThat(rebuilder.rebuild("mer_1", ID, 201)).isEmpty();
    }

    @Test
    void aRetryOfA202IsAnsweredWithTheOutcomeAsAFirstAnswerWouldBe() {
        Payment completed = payment(PaymentStatus.COMPLETED, 0, null);
        Payment failed = payment(PaymentStatus.FAILED, 0, DeclineCode.values()[0]);
        ApiResponse firstCompleted = ApiResponse.paymentOutcome(completed);
        ApiResponse firstDeclined = ErrorMapper.render(catchThrowableOfType(PaymentDeclinedException.class,
                () -> ApiResponse.paymentOutcome(failed)));

        assertThat(settling(completed).resolve("mer_1", ID)).contains(firstCompleted.asReplay());
        assertThat(settling(failed).resolve("mer_1", ID)).contains(firstDeclined.asReplay());
        // Refunded since: the outcome is still the 201 the payment completed with.
        assertThat(settling(payment(PaymentStatus.REFUNDED, 2_500, null)).resolve("mer_1", ID))
                .contains(firstCompleted.asReplay());
    }

    @Test
    void aRetryOfA202ThatStillHasNoOutcomeResolvesNothing() {
        assertThat(settling(payment(PaymentStatus.PENDING, 0, null)).resolve("mer_1", ID)).isEmpty();
        assertThat(settling(Optional.empty()).resolve("mer_1", ID)).isEmpty();
        // Still pending: the 202 is rendered again from the payment as it is.
        assertThat(rebuilder(Optional.of(payment(PaymentStatus.PENDING, 0, null))).rebuild("mer_1", ID, 202))
                .hasValueSatisfying(replay -> assertThat(replay.status()).isEqualTo(202));
    }

    /** A lookup whose {@code settle} gives {@code settled}, and whose {@code find} must not be used. */
    private static PaymentRebuilder settling(Payment settled) {
        return settling(Optional.of(settled));
    }

    private static PaymentRebuilder settling(Optional<Payment> settled) {
        return new PaymentRebuilder(new PaymentLookup() {
            @Override
            public Optional<Payment> find(String merchantId, String paymentId) {
                throw new AssertionError("resolve reads through settle");
            }

            @Override
            public Optional<Payment> settle(String merchantId, String paymentId) {
                return settled;
            }
        });
    }

    @Test
    void onlyResponsesThatRenderAgainCarryTheirPaymentId() {
        assertThat(ApiResponse.paymentOutcome(payment(PaymentStatus.COMPLETED, 0, null)).paymentId()).isEqualTo(ID);
        // A 202 is answered with the outcome on a retry, once there is one.
        assertThat(ApiResponse.paymentOutcome(payment(PaymentStatus.PENDING, 0, null)).paymentId()).isEqualTo(ID);
        // A retry answered after a refund showed the refund: that body is kept, not rebuilt.
        assertThat(ApiResponse.paymentOutcome(payment(PaymentStatus.PARTIALLY_REFUNDED, 700, null)).paymentId()).isNull();
    }

    private static PaymentRebuilder rebuilder(Optional<Payment> stored) {
        return new PaymentRebuilder((merchant, id) -> stored);
    }

    private static Payment payment(PaymentStatus status, long refunded, DeclineCode failure) {
        return new Payment(ID, "mer_1", "key-1", null, PaymentKind.PAYMENT, status, 2_500, "usd",
                "acct_0a1b2c3d4e5f60718293a4b5c6d7e8f9", "acct_9f8e7d6c5b4a39281706f5e4d3c2b1a0", refunded, "order 42",
                Map.of("z", "1", "a", "2"), new FraudAssessment(12, FraudAssessment.Decision.ALLOW, List.of("velocity")),
                failure, Instant.parse("2026-11-25T10:00:00.123456Z"));
    }
}
