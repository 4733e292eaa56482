package dev.kassa.api.accounts;

import dev.kassa.api.error.ApiException;
import dev.kassa.api.error.IdempotencyErrors;
import dev.kassa.api.kafka.Awaiting;
import dev.kassa.api.kafka.CommandPublisher;
import dev.kassa.api.kafka.OutcomeListener;
import dev.kassa.model.Account;
import dev.kassa.model.CommandReplay;
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

    /**
     * An account being opened, and the topology's confirmation if it came within the wait.
     * {@code replayed}: the topology answered with the account an earlier request with the key
     * opened; then only its id, owner and currency are known here, not its creation time.
     */
    public record Opened(Account account, boolean confirmed, boolean replayed) {
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

    /**
     * Opens a new account of {@code merchantId} in {@code currency}, for the request whose fingerprint
     * is {@code requestFingerprint} (null when there is no client request to tell apart).
     *
     * @throws ApiException {@code idempotency_key_reused} when the topology remembers the key for a
     *                      request with other parameters
     */
    public Opened open(String merchantId, String idempotencyKey, String requestFingerprint, String currency) {
        Instant now = clock.instant();
        OpenAccount command = new OpenAccount(Ids.next(Ids.ACCOUNT, now), merchantId, idempotencyKey, currency, now,
                requestFingerprint);
        try (Awaiting<Account> opened = outcomes.awaitAccount(command.accountId())) {
            publisher.publish(command);
            Optional<Account> confirmed = opened.await(outcomeWait);
            Optional<CommandReplay> replay = opened.replayOf();
            if (confirmed.isEmpty() && replay.isPresent()) {
                if (!replay.get().isRetryOf(requestFingerprint)) {
                    throw IdempotencyErrors.reused();
                }
                // The topology deduplicated the command: the first one with this key opened the account.
                return new Opened(new Account(replay.get().originalId(), merchantId, currency, false, now), true, true);
            }
            return confirmed.map(account -> new Opened(account, true, false))
                    .orElseGet(() -> new Opened(new Account(command.accountId(), merchantId, currency, false, now), false,
                            false));
        }
    }
}
