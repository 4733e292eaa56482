package dev.kassa.api.payments;

import dev.kassa.api.accounts.AccountStore;
import dev.kassa.api.accounts.AccountView;
import dev.kassa.api.auth.Merchant;
import dev.kassa.api.error.ApiException;
import dev.kassa.api.error.ErrorCode;
import dev.kassa.api.kafka.Awaiting;
import dev.kassa.api.kafka.CommandPublisher;
import dev.kassa.api.kafka.OutcomeListener;
import dev.kassa.model.CreatePayment;
import dev.kassa.model.Ids;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentKind;
import dev.kassa.model.PaymentStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Creates payments and deposits by publishing {@code CreatePayment} commands and waiting briefly for
 * the topology's verdict; reads them back from Postgres. The payment id is assigned here, before
 * publishing, and the wait is registered before the command is sent so a fast outcome is never missed.
 */
public final class PaymentService implements Payments {

    private static final Duration REPLAY_POLL = Duration.ofMillis(50);

    private final CommandPublisher publisher;
    private final OutcomeListener outcomes;
    private final AccountStore accounts;
    private final PaymentStore store;
    private final Duration outcomeWait;
    private final Clock clock;
    private final MeterRegistry registry;

    public PaymentService(CommandPublisher publisher, OutcomeListener outcomes, AccountStore accounts, PaymentStore store,
                          Duration outcomeWait, Clock clock, MeterRegistry registry) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.store = Objects.requireNonNull(store, "store");
        this.outcomeWait = Objects.requireNonNull(outcomeWait, "outcomeWait");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public Payment create(Merchant merchant, String idempotencyKey, PaymentRequest request) {
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
        return execute(new CreatePayment(Ids.next(Ids.PAYMENT, now), merchant.id(), idempotencyKey, PaymentKind.PAYMENT,
                request.amount(), request.currency(), request.source(), destination,
                request.description().orElse(null), request.metadata(), now));
    }

    @Override
    public Payment deposit(Merchant merchant, String idempotencyKey, String accountId, DepositRequest request) {
        AccountView account = ownAccount(merchant, accountId, "id");
        Instant now = clock.instant();
        return execute(new CreatePayment(Ids.next(Ids.PAYMENT, now), merchant.id(), idempotencyKey, PaymentKind.DEPOSIT,
                request.amount(), account.currency(), Ids.externalAccount(account.currency()), account.id(),
                request.description().orElse(null), request.metadata(), now));
    }

    @Override
    public Optional<Payment> find(Merchant merchant, String paymentId) {
        if (!Ids.isValid(Ids.PAYMENT, paymentId)) {
            return Optional.empty();
        }
        return store.find(merchant.id(), paymentId);
    }

    @Override
    public PaymentPage list(Merchant merchant, PageRequest page) {
        return store.list(merchant.id(), page);
    }

    private Payment execute(CreatePayment command) {
        try (Awaiting<Payment> outcome = outcomes.awaitPayment(command.paymentId())) {
            long deadline = System.nanoTime() + outcomeWait.toNanos();
            publisher.publish(command);
            Payment payment = outcome.await(outcomeWait)
                    .or(() -> outcome.replayOf().map(originalId -> original(command, originalId, deadline)))
                    .orElseGet(() -> Payment.pending(command));
            registry.counter("kassa.api.outcomes", "kind", command.kind().name().toLowerCase(java.util.Locale.ROOT),
                    "status", payment.status().wireName()).increment();
            return payment;
        }
    }

    /**
     * The payment an earlier command with the same key created, when the topology deduplicated this one
     * (the API had lost its idempotency record): its final state once Postgres has it, polled until
     * the normal wait ends, else the original payment pending.
     */
    private Payment original(CreatePayment command, String originalId, long deadline) {
        Optional<Payment> stored = store.find(command.merchantId(), originalId);
        while (stored.map(p -> p.status() == PaymentStatus.PENDING).orElse(true) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(REPLAY_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            stored = store.find(command.merchantId(), originalId);
        }
        return stored.orElseGet(() -> Payment.pending(new CreatePayment(originalId, command.merchantId(),
                command.idempotencyKey(), command.kind(), command.amount(), command.currency(), command.source(),
                command.destination(), command.description(), command.metadata(), command.requestedAt())));
    }

    private AccountView ownAccount(Merchant merchant, String accountId, String param) {
        Optional<AccountView> account = Ids.isValid(Ids.ACCOUNT, accountId)
                ? accounts.find(merchant.id(), accountId)
                : Optional.empty();
        return account.orElseThrow(() -> new ApiException(ErrorCode.RESOURCE_MISSING, "no such account: " + accountId, param));
    }
}
