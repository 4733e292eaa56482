package dev.kassa.api.accounts;

import dev.kassa.api.kafka.Awaiting;
import dev.kassa.api.kafka.CommandPublisher;
import dev.kassa.api.kafka.OutcomeListener;
import dev.kassa.model.Account;
import dev.kassa.model.Ids;
import dev.kassa.model.OpenAccount;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Opens accounts through the topology, so that its balance store knows an account before any payment
 * names it: publishes {@code OpenAccount} and waits for the matching {@code AccountOpened}.
 */
public final class AccountOpener {

    /** An account being opened, and the topology's confirmation if it came within the wait. */
    public record Opened(Account account, boolean confirmed) {
    }

    private final CommandPublisher publisher;
    private final OutcomeListener outcomes;
    private final Duration outcomeWait;
    private final Clock clock;

    public AccountOpener(CommandPublisher publisher, OutcomeListener outcomes, Duration outcomeWait, Clock clock) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
        this.outcomeWait = Objects.requireNonNull(outcomeWait, "outcomeWait");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Opens a new account of {@code merchantId} in {@code currency}. */
    public Opened open(String merchantId, String idempotencyKey, String currency) {
        Instant now = clock.instant();
        OpenAccount command = new OpenAccount(Ids.next(Ids.ACCOUNT, now), merchantId, idempotencyKey, currency, now);
        try (Awaiting<Account> opened = outcomes.awaitAccount(command.accountId())) {
            publisher.publish(command);
            Optional<Account> confirmed = opened.await(outcomeWait);
            Optional<String> original = opened.replayOf();
            if (confirmed.isEmpty() && original.isPresent()) {
                // The topology deduplicated the command: the first one with this key opened the account.
                return new Opened(new Account(original.get(), merchantId, currency, false, now), true);
            }
            return confirmed.map(account -> new Opened(account, true))
                    .orElseGet(() -> new Opened(new Account(command.accountId(), merchantId, currency, false, now), false));
        }
    }
}
