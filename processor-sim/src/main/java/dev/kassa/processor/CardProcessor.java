package dev.kassa.processor;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A card processor (acquirer) as Kassa's connector sees it: charge a card, read a charge, find the
 * charges of a gateway reference, refund, and download a day's settlement report. {@link HttpCardProcessor}
 * implements it over HTTP against the sandbox ({@code kassa processor-sim}, docs/processor-sim.md); a real
 * acquirer's adapter would implement this same interface, so nothing above it knows which one it talks to.
 *
 * <p>Creations take an idempotency key and never throw for a failed attempt: they classify it
 * ({@link ChargeOutcome}, {@link RefundOutcome}), and an {@link Unknown} outcome is retried with the same
 * key, which the processor honours by answering what it made the first time instead of making it again.
 */
public interface CardProcessor {

    /** Charges a card; the same {@code idempotencyKey} with the same request never charges twice. */
    ChargeOutcome createCharge(ChargeRequest request, String idempotencyKey);

    /**
     * The charge with this id, or empty when the processor has none.
     *
     * @throws CardProcessorException when the processor gave no usable answer
     */
    Optional<Charge> charge(String chargeId);

    /**
     * Every charge made under the gateway's {@code reference}, oldest first.
     *
     * @throws CardProcessorException when the processor gave no usable answer
     */
    List<Charge> chargesByReference(String reference);

    /** Refunds {@code amount} of a charge, or what is left of it when {@code amount} is empty. */
    RefundOutcome refund(String chargeId, OptionalLong amount, String idempotencyKey);

    /**
     * The settlement report of a UTC day as the processor sends it (CSV text, docs/processor-sim.md).
     *
     * @throws CardProcessorException when the processor gave no usable answer
     */
    String settlementReport(LocalDate day);
}
