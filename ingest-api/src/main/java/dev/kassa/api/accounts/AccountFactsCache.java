package dev.kassa.api.accounts;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kassa.model.Account;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link AccountFacts facts} of accounts kept in memory, so that checking that an account is the
 * merchant's own needs no Postgres query once the account is known here. An account's facts never
 * change and accounts are never removed, so an entry never goes stale and never expires; it is filled
 * from a Postgres hit, from every {@code AccountOpened} the outcome listener reads and from the API's
 * own confirmed openings. Only accounts that exist are kept: an unknown id is asked of Postgres every
 * time, so an account opened a moment ago is usable as soon as Postgres or {@code accounts.events}
 * has it. An account known here to be another merchant's is answered as Postgres would, as missing,
 * without asking. Bounded in entries (Caffeine's size eviction); a size of 0 keeps nothing.
 *
 * <p>Hits and misses are counted as {@code kassa.api.account.facts} with tag {@code result}
 * ({@code hit}: answered from memory, {@code miss}: asked Postgres).
 */
public final class AccountFactsCache {

    private final AccountDirectory directory;
    private final Cache<String, AccountFacts> facts;
    private final Counter hits;
    private final Counter misses;

    public AccountFactsCache(AccountDirectory directory, long sizeMax, MeterRegistry registry) {
        if (sizeMax < 0) {
            throw new IllegalArgumentException("account cache size must not be negative: " + sizeMax);
        }
        this.directory = Objects.requireNonNull(directory, "directory");
        // Eviction work runs on the calling thread, amortized, rather than in the common fork-join pool.
        this.facts = Caffeine.newBuilder().maximumSize(sizeMax).executor(Runnable::run).build();
        this.hits = registry.counter("kassa.api.account.facts", "result", "hit");
        this.misses = registry.counter("kassa.api.account.facts", "result", "miss");
        Gauge.builder("kassa.api.account.facts.cached", facts, Cache::estimatedSize)
                .description("Accounts whose facts the API keeps in memory")
                .register(registry);
    }

    /**
     * The facts of {@code merchantId}'s account {@code accountId}: from memory, else from Postgres.
     * Empty when there is no such account, or it is another merchant's.
     */
    public Optional<AccountFacts> find(String merchantId, String accountId) {
        AccountFacts known = facts.getIfPresent(accountId);
        if (known != null) {
            hits.increment();
            return known.merchantId().equals(merchantId) ? Optional.of(known) : Optional.empty();
        }
        misses.increment();
        Optional<AccountView> stored = directory.find(merchantId, accountId);
        stored.ifPresent(this::remember);
        return stored.map(AccountFacts::of);
    }

    /** Keeps the facts of an account that Postgres has. */
    public void remember(AccountView account) {
        remember(AccountFacts.of(account));
    }

    /** Keeps the facts of an account the topology has opened. */
    public void remember(Account account) {
        remember(AccountFacts.of(account));
    }

    private void remember(AccountFacts account) {
        facts.put(account.id(), account);
    }

    /** How many accounts are kept, once pending evictions are done. */
    public long size() {
        facts.cleanUp();
        return facts.estimatedSize();
    }
}
