package dev.kassa.api.refunds;

import dev.kassa.api.auth.Merchant;
import dev.kassa.api.error.ApiException;
import dev.kassa.api.error.ErrorCode;
import dev.kassa.api.error.IdempotencyErrors;
import dev.kassa.api.idempotency.IdempotentRequest;
import dev.kassa.api.kafka.Awaiting;
import dev.kassa.api.kafka.CommandPublisher;
import dev.kassa.api.kafka.OutcomeListener;
import dev.kassa.api.payments.PaymentStore;
import dev.kassa.api.payments.RecentPayments;
import dev.kassa.model.CommandReplay;
import dev.kassa.model.CreateRefund;
import dev.kassa.model.Ids;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentKind;
import dev.kassa.model.PaymentStatus;
import dev.kassa.model.Refund;
import dev.kassa.model.RefundStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Creates refunds by publishing {@code CreateRefund} commands and waiting briefly for the topology's
 * verdict; reads them back from Postgres. The API checks only what the ledger can tell for sure —
 * the payment exists, is the merchant's, is a completed payment — and leaves the amount to the
 * topology, the one place that knows what is left to refund at the moment the refund is decided.
 * The ledger only shows a payment completed after the topology made it refundable, so every refund
 * published here finds its payment's entry in the topology. A payment completed a moment ago, which
 * the ledger does not show yet, is known from its outcome ({@link RecentPayments}): its credit was
 * committed with that outcome, before any refund of it could be sent, and the destination's task
 * applies it before the refund (docs/architecture.md, Refunds).
 */
public final class RefundService implements Refunds {

    private static final Duration REPLAY_POLL = Duration.ofMillis(50);
    private static final Set<PaymentStatus> REFUNDABLE =
            Set.of(PaymentStatus.COMPLETED, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED);

    private final CommandPublisher publisher;
    private final OutcomeListener outcomes;
    private final PaymentStore payments;
    private final RecentPayments recent;
    private final RefundStore store;
    private final Duration outcomeWait;
    private final Clock clock;
    private final MeterRegistry registry;

    public RefundService(CommandPublisher publisher, OutcomeListener outcomes, PaymentStore payments,
                         RecentPayments recent, RefundStore store, Duration outcomeWait, Clock clock,
                         MeterRegistry registry) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
        this.payments = Objects.requireNonNull(payments, "payments");
        this.recent = Objects.requireNonNull(recent, "recent");
        this.store = Objects.requireNonNull(store, "store");
        this.outcomeWait = Objects.requireNonNull(outcomeWait, "outcomeWait");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public Refund create(Merchant merchant, IdempotentRequest idempotency, String paymentId, RefundRequest request) {
        Payment payment = payment(merchant, paymentId);
        if (payment.kind() == PaymentKind.DEPOSIT || !REFUNDABLE.contains(payment.status())) {
            throw new ApiException(ErrorCode.PAYMENT_NOT_REFUNDABLE, (payment.kind() == PaymentKind.DEPOSIT
                    ? "deposits cannot be refunded" : "only a completed payment can be refunded; payment " + paymentId
                    + " is " + payment.status().wireName()), "id");
        }
        Instant now = clock.instant();
        if (payment.created().plus(Refund.WINDOW).isBefore(now)) {
            throw new ApiException(ErrorCode.PAYMENT_NOT_REFUNDABLE, "payments can be refunded within "
                    + Refund.WINDOW.toDays() + " days of their creation; payment " + paymentId + " was created at "
                    + payment.created(), "id");
        }
        CreateRefund command = new CreateRefund(Ids.next(Ids.REFUND, now), payment.id(), merchant.id(),
                idempotency.key(), request.amount().orElse(null), payment.destination(), now, idempotency.fingerprint());
        Refund refund = execute(command, payment.currency());
        registry.counter("kassa.api.outcomes", "kind", "refund", "status", refund.status().wireName()).increment();
        return refund;
    }

    @Override
    public Optional<Refund> find(Merchant merchant, String refundId) {
        if (!Ids.isValid(Ids.REFUND, refundId)) {
            return Optional.empty();
        }
        return store.find(merchant.id(), refundId);
    }

    @Override
    public RefundList list(Merchant merchant, String paymentId) {
        payment(merchant, paymentId);
        List<Refund> refunds = store.list(merchant.id(), paymentId, LIST_LIMIT + 1);
        return new RefundList(refunds.subList(0, Math.min(refunds.size(), LIST_LIMIT)), refunds.size() > LIST_LIMIT);
    }

    private Payment payment(Merchant merchant, String paymentId) {
        // Read-your-writes: a payment answered a moment ago may not be in the ledger yet (docs/api.md).
        Optional<Payment> payment = Ids.isValid(Ids.PAYMENT, paymentId)
                ? recent.read(merchant.id(), paymentId, () -> payments.find(merchant.id(), paymentId),
                        () -> outcomes.awaitCaughtUp(outcomeWait), clock.instant())
                : Optional.empty();
        return payment.orElseThrow(() -> new ApiException(ErrorCode.RESOURCE_MISSING, "no such payment: "
                + (paymentId.length() <= 64 ? paymentId : paymentId.substring(0, 64) + "…"), "id"));
    }

    private Refund execute(CreateRefund command, String currency) {
        try (Awaiting<Refund> outcome = outcomes.awaitRefund(command.refundId())) {
            long deadline = System.nanoTime() + outcomeWait.toNanos();
            publisher.publish(command);
            return outcome.await(outcomeWait)
                    .or(() -> outcome.replayOf().map(replay -> original(command, currency, replay, deadline)))
                    .orElseGet(() -> pending(command, command.refundId(), currency));
        }
    }

    /**
     * The refund an earlier command with the same key created, when the topology deduplicated this one
     * (the API had lost its idempotency record): as Postgres has it once it is there, polled until the
     * normal wait ends, else pending. A different request reusing the key is refused instead.
     */
    private Refund original(CreateRefund command, String currency, CommandReplay replay, long deadline) {
        if (!replay.isRetryOf(command.requestFingerprint())) {
            throw IdempotencyErrors.reused();
        }
        Optional<Refund> stored = store.find(command.merchantId(), replay.originalId());
        while (stored.map(refund -> refund.status() == RefundStatus.PENDING).orElse(true) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(REPLAY_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            stored = store.find(command.merchantId(), replay.originalId());
        }
        return stored.orElseGet(() -> pending(command, replay.originalId(), currency));
    }

    /** A refund whose outcome has not arrived; its amount is unknown (0, rendered null) when it asked for the rest. */
    private static Refund pending(CreateRefund command, String refundId, String currency) {
        return new Refund(refundId, command.paymentId(), command.merchantId(), command.idempotencyKey(),
                command.requestFingerprint(), command.amount() == null ? 0 : command.amount(), currency,
                RefundStatus.PENDING, null, command.requestedAt());
    }
}
