package dev.kassa.api.payments;

import dev.kassa.api.accounts.AccountFacts;
import dev.kassa.api.accounts.AccountFactsCache;
import dev.kassa.api.auth.Merchant;
import dev.kassa.api.error.ApiException;
import dev.kassa.api.error.ErrorCode;
import dev.kassa.api.error.IdempotencyErrors;
import dev.kassa.api.idempotency.IdempotentRequest;
import dev.kassa.api.idempotency.PaymentLookup;
import dev.kassa.api.kafka.Awaiting;
import dev.kassa.api.kafka.CommandPublisher;
import dev.kassa.api.kafka.OutcomeListener;
import dev.kassa.model.Command;
import dev.kassa.model.CommandReplay;
import dev.kassa.model.CreatePayment;
import dev.kassa.model.Ids;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentKind;
import dev.kassa.model.PaymentStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Creates payments and deposits by publishing {@code CreatePayment} commands and waiting briefly for
 * the topology's verdict; reads them back from Postgres. The payment id is assigned here, before
 * publishing, and the wait is registered before the command is sent so a fast outcome is never missed.
 *
 * <p>Before publishing, the key is looked up in Postgres's {@code idempotency_keys}: the guard in
 * front of this service found no record of it in Redis, and the topology's dedupe store may have
 * forgotten it too, but while Postgres keeps it the key names its first payment and nothing is
 * published again. A key the topology still remembers is caught there instead, and answered on
 * {@code payments.replays}.
 */
public final class PaymentService implements Payments {

    private static final Duration REPLAY_POLL = Duration.ofMillis(50);

    private final CommandPublisher publisher;
    private final OutcomeListener outcomes;
    private final AccountFactsCache accounts;
    private final PaymentStore store;
    /** Every key a request brings is looked up in Postgres (it may be older than Redis and the topology remember); grouped. */
    private final KeyLookups keyLookups;
    private final RecentPayments recent;
    private final Duration outcomeWait;
    private final Clock clock;
    private final MeterRegistry registry;
    private final CardCapabilities cards;
    private final Executor blocking;

    /**
     * @param blocking where the work that waits runs: the grouped key lookups, and the rare paths
     *                 that poll the ledger (a key Postgres already knows, a command the topology
     *                 answered as a replay) or wait for the broker's acknowledgement
     */
    public PaymentService(CommandPublisher publisher, OutcomeListener outcomes, AccountFactsCache accounts, PaymentStore store,
                          RecentPayments recent, Duration outcomeWait, Clock clock, MeterRegistry registry,
                          CardCapabilities cards, Executor blocking) {
        this.blocking = Objects.requireNonNull(blocking, "blocking");
        this.cards = Objects.requireNonNull(cards, "cards");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.store = Objects.requireNonNull(store, "store");
        this.keyLookups = new KeyLookups(store::findByIdempotencyKeys, blocking);
        this.recent = Objects.requireNonNull(recent, "recent");
        this.outcomeWait = Objects.requireNonNull(outcomeWait, "outcomeWait");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Holds no thread while it waits: the key's lookup, the outcome and the broker's acknowledgement
     * complete the returned future on the threads that bring them (docs/architecture.md, "The API's
     * per-request work").
     */
    @Override
    public CompletableFuture<Payment> create(Merchant merchant, IdempotentRequest idempotency, PaymentRequest request) {
        return unlessKnown(merchant, idempotency, () -> {
            if (request.cardToken().isPresent()) {
                return card(merchant, idempotency, request, request.cardToken().get());
            }
            // A merchant may only pay out of its own accounts; another merchant's account is as unknown as a missing one.
            ownAccount(merchant, request.source(), "source");
            String destination = request.destination().orElse(merchant.accountId());
            if (destination.equals(request.source())) {
                // The validator already refused an explicit destination equal to the source; this is the
                // defaulted one: a payment out of the merchant's own account must name where it goes.
                throw new ApiException(ErrorCode.PARAMETER_INVALID, "destination must differ from source; a payment out of"
                        + " the merchant's own account needs a destination", "destination");
            }
            Instant now = clock.instant();
            return execute(new CreatePayment(Ids.next(Ids.PAYMENT, now), merchant.id(), idempotency.key(),
                    PaymentKind.PAYMENT, request.amount(), request.currency(), request.source(), destination,
                    request.description().orElse(null), request.metadata(), now, idempotency.fingerprint()));
        });
    }

    /**
     * A card payment: refused with a 400 when the processor would refuse it for good (its token,
     * currency or amount, per {@link CardCapabilities}), else published from the currency's card
     * clearing account to the merchant's account (its own by default), and answered like any payment:
     * it stays {@code processing} until the connector brings the processor's answer.
     */
    private CompletableFuture<Payment> card(Merchant merchant, IdempotentRequest idempotency, PaymentRequest request,
                                            String cardToken) {
        if (!cards.tokens().contains(cardToken)) {
            throw new ApiException(ErrorCode.CARD_TOKEN_UNKNOWN, "the card processor knows no card token "
                    + cardToken, "source.token");
        }
        if (!cards.currencies().contains(request.currency())) {
            throw new ApiException(ErrorCode.CURRENCY_NOT_SUPPORTED, "the card processor takes "
                    + String.join(", ", cards.currencies().stream().sorted().toList()) + ", not " + request.currency(),
                    "currency");
        }
        if (request.amount() < cards.amountMin() || request.amount() > cards.amountMax()) {
            throw new ApiException(ErrorCode.AMOUNT_INVALID, "a card payment's amount must be between "
                    + cards.amountMin() + " and " + cards.amountMax() + " minor units", "amount");
        }
        AccountFacts destination = ownAccount(merchant, request.destination().orElse(merchant.accountId()), "destination");
        Instant now = clock.instant();
        return execute(new CreatePayment(Ids.next(Ids.PAYMENT, now), merchant.id(), idempotency.key(),
                PaymentKind.CARD, request.amount(), request.currency(), Ids.cardClearingAccount(request.currency()),
                destination.id(), request.description().orElse(null), request.metadata(), now,
                idempotency.fingerprint(), cardToken));
    }

    @Override
    public CompletableFuture<Payment> deposit(Merchant merchant, IdempotentRequest idempotency, String accountId,
                                              DepositRequest request) {
        return unlessKnown(merchant, idempotency, () -> {
            AccountFacts account = ownAccount(merchant, accountId, "id");
            Instant now = clock.instant();
            return execute(new CreatePayment(Ids.next(Ids.PAYMENT, now), merchant.id(), idempotency.key(),
                    PaymentKind.DEPOSIT, request.amount(), account.currency(), Ids.externalAccount(account.currency()),
                    account.id(), request.description().orElse(null), request.metadata(), now, idempotency.fingerprint()));
        });
    }

    /**
     * The payment Postgres says this key already created (refusing a request with other parameters),
     * else what {@code otherwise} makes. The lookup is grouped with other requests' ({@link KeyLookups});
     * {@code otherwise} runs on the thread that completes it and must not block.
     */
    private CompletableFuture<Payment> unlessKnown(Merchant merchant, IdempotentRequest idempotency,
                                                   Supplier<CompletableFuture<Payment>> otherwise) {
        return keyLookups.find(merchant.id(), idempotency.key()).thenCompose(keyed -> keyed.isEmpty()
                ? otherwise.get()
                : CompletableFuture.supplyAsync(() -> paymentOfKey(merchant, idempotency, keyed.get()), blocking)
                        .thenCompose(earlier -> earlier.map(CompletableFuture::completedFuture).orElseGet(otherwise)));
    }

    /**
     * The payment Postgres says this key created, settled as far as the normal wait allows, refusing a
     * request with other parameters; empty when the payment is not (yet) readable.
     */
    private Optional<Payment> paymentOfKey(Merchant merchant, IdempotentRequest idempotency,
                                           PaymentStore.KeyedPayment keyed) {
        if (!Command.sameRequest(keyed.requestFingerprint(), idempotency.fingerprint())) {
            throw IdempotencyErrors.reused();
        }
        registry.counter("kassa.api.idempotency.ledger.hits").increment();
        // The sink writes the key with the payment's first row, so the payment is there, perhaps still pending.
        return settled(merchant.id(), keyed.paymentId(), System.nanoTime() + outcomeWait.toNanos());
    }

    @Override
    public Optional<Payment> find(Merchant merchant, String paymentId) {
        if (!Ids.isValid(Ids.PAYMENT, paymentId)) {
            return Optional.empty();
        }
        // Read-your-writes: a payment answered a moment ago may not be in the ledger yet (docs/api.md).
        return recent.read(merchant.id(), paymentId, () -> store.find(merchant.id(), paymentId),
                () -> outcomes.awaitCaughtUp(outcomeWait), clock.instant());
    }

    /**
     * How the idempotency guard reads payments: {@code find} from Postgres, and {@code settle} waiting
     * for a pending payment's outcome as a first request would ({@link #settle}).
     */
    public PaymentLookup lookup() {
        return new PaymentLookup() {
            @Override
            public Optional<Payment> find(String merchantId, String paymentId) {
                return store.find(merchantId, paymentId);
            }

            @Override
            public Optional<Payment> settle(String merchantId, String paymentId) {
                return PaymentService.this.settle(merchantId, paymentId);
            }
        };
    }

    /**
     * The payment's outcome for a retry whose first answer was {@code 202}: decided in Postgres or among
     * the outcomes this instance saw lately ({@link RecentPayments}), else from the topology's outcome if
     * it comes within the normal wait (the wait is registered before either is read, so an outcome in
     * between is not missed), else the payment as they have it then.
     */
    private Optional<Payment> settle(String merchantId, String paymentId) {
        try (Awaiting<Payment> outcome = outcomes.awaitPayment(paymentId)) {
            Optional<Payment> known = recent.fresher(merchantId, paymentId, store.find(merchantId, paymentId));
            if (known.map(payment -> payment.status() != PaymentStatus.PENDING).orElse(false)) {
                return known;
            }
            Optional<Payment> decided = outcome.await(outcomeWait)
                    .filter(payment -> payment.merchantId().equals(merchantId));
            return decided.isPresent() ? decided : recent.fresher(merchantId, paymentId, store.find(merchantId, paymentId));
        }
    }

    @Override
    public PaymentPage list(Merchant merchant, PageRequest page) {
        return store.list(merchant.id(), page);
    }

    /**
     * Sends the command and waits once, for its outcome or for the send to fail, without holding a
     * thread. An outcome proves the broker had the command (the topology read it from the log); without
     * one, the acknowledgement is awaited before the answer promises anything ({@code 202}, or a
     * replay's original payment), and a failed send answers {@code 503}: that rarer path waits on
     * {@link #blocking}.
     */
    private CompletableFuture<Payment> execute(CreatePayment command) {
        Awaiting<Payment> outcome = outcomes.awaitPayment(command.paymentId());
        try {
            long deadline = System.nanoTime() + outcomeWait.toNanos();
            CommandPublisher.Sent sent = publisher.send(command);
            return outcome.future(outcomeWait, sent.failure())
                    .thenCompose(decided -> decided.isPresent()
                            ? CompletableFuture.completedFuture(decided.get())
                            : CompletableFuture.supplyAsync(() -> undecided(command, outcome, sent, deadline), blocking))
                    .thenApply(payment -> counted(command, payment))
                    .whenComplete((payment, failure) -> outcome.close());
        } catch (RuntimeException | Error e) {
            outcome.close();
            throw e;
        }
    }

    /** A command without an outcome within the wait: acknowledged, then pending, or a replay's original payment. */
    private Payment undecided(CreatePayment command, Awaiting<Payment> outcome, CommandPublisher.Sent sent, long deadline) {
        sent.awaitAcknowledged();
        return outcome.replayOf().map(replay -> original(command, replay, deadline))
                .orElseGet(() -> Payment.pending(command));
    }

    private Payment counted(CreatePayment command, Payment payment) {
        registry.counter("kassa.api.outcomes", "kind", command.kind().name().toLowerCase(Locale.ROOT),
                "status", payment.status().wireName()).increment();
        return payment;
    }

    /**
     * The payment an earlier command with the same key created, when the topology deduplicated this one
     * (the API had lost its idempotency record): its final state once Postgres has it, polled until
     * the normal wait ends, else the original payment pending. A different request reusing the key
     * is refused instead.
     */
    private Payment original(CreatePayment command, CommandReplay replay, long deadline) {
        if (!replay.isRetryOf(command.requestFingerprint())) {
            throw IdempotencyErrors.reused();
        }
        String originalId = replay.originalId();
        return settled(command.merchantId(), originalId, deadline).orElseGet(() -> Payment.pending(
                new CreatePayment(originalId, command.merchantId(), command.idempotencyKey(), command.kind(),
                        command.amount(), command.currency(), command.source(), command.destination(),
                        command.description(), command.metadata(), command.requestedAt(), replay.originalFingerprint(),
                        command.cardToken())));
    }

    /**
     * The payment as Postgres has it, polled until it is completed or failed or {@code deadline}
     * ({@link System#nanoTime()}) passes; then its last state, pending perhaps, or empty if not there yet.
     */
    private Optional<Payment> settled(String merchantId, String paymentId, long deadline) {
        Optional<Payment> stored = store.find(merchantId, paymentId);
        while (stored.map(p -> p.status() == PaymentStatus.PENDING).orElse(true) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(REPLAY_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            stored = store.find(merchantId, paymentId);
        }
        return stored;
    }

    /** The merchant's account, from memory when known there; another merchant's is as missing as an unknown one. */
    private AccountFacts ownAccount(Merchant merchant, String accountId, String param) {
        Optional<AccountFacts> account = Ids.isValid(Ids.ACCOUNT, accountId)
                ? accounts.find(merchant.id(), accountId)
                : Optional.empty();
        return account.orElseThrow(() -> new ApiException(ErrorCode.RESOURCE_MISSING, "no such account: " + accountId, param));
    }
}
