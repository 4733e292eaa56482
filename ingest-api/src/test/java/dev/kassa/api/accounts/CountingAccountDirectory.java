package dev.kassa.api.accounts;

import dev.kassa.model.Ids;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The accounts table in memory, standing in for Postgres: counts the lookups asked of it. */
public final class CountingAccountDirectory implements AccountDirectory {

    private final Map<String, AccountView> rows = new ConcurrentHashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();

    @Override
    public Optional<AccountView> find(String merchantId, String accountId) {
        lookups.incrementAndGet();
        return Optional.ofNullable(rows.get(accountId)).filter(row -> row.merchantId().equals(merchantId));
    }

    /** Adds a new account of {@code merchantId} in {@code currency} and returns its row. */
    public AccountView add(String merchantId, String currency) {
        return add(new AccountView(Ids.next(Ids.ACCOUNT), merchantId, currency, 10_000, Instant.parse("2026-11-25T08:00:00Z")));
    }

    public AccountView add(AccountView row) {
        rows.put(row.id(), row);
        return row;
    }

    /** How many lookups were asked so far. */
    public int lookups() {
        return lookups.get();
    }
}
