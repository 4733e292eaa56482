package dev.kassa.api.payments;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kassa.model.Ids;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The payments this API instance has seen decided, from {@code payments.events}, for a while: what
 * lets a client act on an answer it was just given although the ledger in Postgres, written by the
 * sink, lags the topology (read-your-writes, docs/api.md). The outcome listener records every
 * payment's outcome before it wakes the request waiting for it, so a payment this instance answered
 * {@code 201} is here before the client has the answer; every instance reads every partition, and
 * one that does not know a payment created a moment ago first lets its listener catch up ({@link #read}).
 *
 * <p>Bounded by the approximate size of what it holds ({@link #WEIGHT_MAX}) and by {@link #TTL},
 * well beyond any lag of the sink; an entry gone from here is in Postgres by then, which is read first.
 */
public final class RecentPayments {

    /** How long a decided payment is kept: the sink's lag after a burst is seconds, not minutes. */
    static final Duration TTL = Duration.ofMinutes(5);
    /** About 32 MiB of payments, by the weight of their strings. */
    static final long WEIGHT_MAX = 32L << 20;

    private final Cache<String, Payment> decided = Caffeine.newBuilder()
            .maximumWeight(WEIGHT_MAX)
            .weigher((String id, Payment payment) -> weight(payment))
            .expireAfterWrite(TTL)
            .executor(Runnable::run)
            .build();

    /** Records {@code payment}'s outcome (completed or failed); anything still pending is ignored. */
    public void decided(Payment payment) {
        Objects.requireNonNull(payment, "payment");
        if (payment.status() != PaymentStatus.PENDING) {
            decided.put(payment.id(), payment);
        }
    }

    /** The decided payment {@code paymentId} of {@code merchantId}, if this instance saw its outcome lately. */
    public Optional<Payment> find(String merchantId, String paymentId) {
        return Optional.ofNullable(decided.getIfPresent(paymentId)).filter(payment -> payment.merchantId().equals(merchantId));
    }

    /**
     * The payment {@code paymentId} of {@code merchantId} as a client that was just answered about it
     * must see it: the ledger's, unless this instance knows it decided while the ledger does not; and
     * when neither knows it decided although its id says it was created within {@link #TTL} of
     * {@code now}, once more after {@code catchUp} (this instance's read of {@code payments.events}
     * catching up to its end, so that a payment another instance answered is known here too).
     */
    public Optional<Payment> read(String merchantId, String paymentId, Supplier<Optional<Payment>> ledger,
                                  BooleanSupplier catchUp, Instant now) {
        Optional<Payment> found = fresher(merchantId, paymentId, ledger.get());
        boolean undecided = found.map(payment -> payment.status() == PaymentStatus.PENDING).orElse(true);
        if (undecided && Ids.createdAt(paymentId).isAfter(now.minus(TTL)) && catchUp.getAsBoolean()) {
            return fresher(merchantId, paymentId, found);
        }
        return found;
    }

    /**
     * The fresher of the ledger's payment and this instance's: the ledger's unless it does not have the
     * payment yet or has it still pending while its outcome is known here.
     */
    public Optional<Payment> fresher(String merchantId, String paymentId, Optional<Payment> ledger) {
        if (ledger.isPresent() && ledger.get().status() != PaymentStatus.PENDING) {
            return ledger;
        }
        Optional<Payment> recent = find(merchantId, paymentId);
        return recent.isPresent() ? recent : ledger;
    }

    /** Roughly the bytes {@code payment} holds, in characters of its strings plus a fixed part. */
    private static int weight(Payment payment) {
        int weight = 400 + length(payment.description()) + length(payment.idempotencyKey());
        for (Map.Entry<String, String> entry : payment.metadata().entrySet()) {
            weight += 48 + entry.getKey().length() + entry.getValue().length();
        }
        return weight;
    }

    private static int length(String text) {
        return text == null ? 0 : text.length();
    }
}
