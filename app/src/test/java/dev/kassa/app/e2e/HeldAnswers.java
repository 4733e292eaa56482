package dev.kassa.app.e2e;

import dev.kassa.processor.CardProcessor;
import dev.kassa.processor.Charge;
import dev.kassa.processor.ChargeOutcome;
import dev.kassa.processor.ChargeRequest;
import dev.kassa.processor.RefundOutcome;
import dev.kassa.processor.Unknown;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The card processor as the connector sees it, with one fault for the tests: while an amount is held,
 * every charge of that amount is made at the real processor and its answer then lost (an
 * {@link Unknown}, as a dropped connection after the charge), so that the connector retries it with
 * the same key for as long as the test wants. Everything else passes through untouched.
 */
final class HeldAnswers implements CardProcessor {

    private static final long NONE = -1;

    private final CardProcessor processor;
    private final AtomicLong heldAmount = new AtomicLong(NONE);
    private final AtomicInteger lostAnswers = new AtomicInteger();

    HeldAnswers(CardProcessor processor) {
        this.processor = Objects.requireNonNull(processor, "processor");
    }

    /** Loses the answers of charges of {@code amount} (minor units) from now until {@link #release()}. */
    void hold(long amount) {
        heldAmount.set(amount);
    }

    void release() {
        heldAmount.set(NONE);
    }

    /** How many answers were lost so far: each one an attempt the connector had to retry. */
    int lostAnswers() {
        return lostAnswers.get();
    }

    @Override
    public ChargeOutcome createCharge(ChargeRequest request, String idempotencyKey) {
        ChargeOutcome outcome = processor.createCharge(request, idempotencyKey);
        if (request.amount() == heldAmount.get()) {
            lostAnswers.incrementAndGet();
            return new Unknown("test: the answer to the charge of " + request.reference() + " is held");
        }
        return outcome;
    }

    @Override
    public Optional<Charge> charge(String chargeId) {
        return processor.charge(chargeId);
    }

    @Override
    public List<Charge> chargesByReference(String reference) {
        return processor.chargesByReference(reference);
    }

    @Override
    public RefundOutcome refund(String chargeId, OptionalLong amount, String idempotencyKey) {
        return processor.refund(chargeId, amount, idempotencyKey);
    }

    @Override
    public String settlementReport(LocalDate day) {
        return processor.settlementReport(day);
    }
}
