package dev.kassa.api.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.model.Account;
import dev.kassa.model.Ids;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Account facts are asked of Postgres once and then answered from memory; only accounts that exist are
 * kept, and an account known to be another merchant's answers as missing. Plan: a counting directory
 * stands in for the accounts table.
 */
class AccountFactsCacheTest {

    private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");

    private final CountingAccountDirectory directory = new CountingAccountDirectory();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AccountFactsCache cache = new AccountFactsCache(directory, 100, registry);

    private double count(String result) {
        return registry.counter("kassa.api.account.facts", "result", result).count();
    }

    @Test
    void postgresHitIsAskedOnceThenAnsweredFromMemory() {
        AccountView row = directory.add("mer_1", "eur");

        assertThat(cache.find("mer_1", row.id())).contains(new AccountFacts(row.id(), "mer_1", "eur"));
        assertThat(cache.find("mer_1", row.id())).contains(new AccountFacts(row.id(), "mer_1", "eur"));

        assertThat(directory.lookups()).isEqualTo(1);
        assertThat(count("miss")).isEqualTo(1);
        assertThat(count("hit")).isEqualTo(1);
    }

    @Test
    void unknownAccountIsAskedEveryTimeAndPayableOnceItExists() {
        String accountId = Ids.next(Ids.ACCOUNT);

        assertThat(cache.find("mer_1", accountId)).isEmpty();
        assertThat(cache.find("mer_1", accountId)).isEmpty();
        assertThat(directory.lookups()).as("no negative caching").isEqualTo(2);

        directory.add(new AccountView(accountId, "mer_1", "usd", 0, NOW));
        assertThat(cache.find("mer_1", accountId)).map(AccountFacts::currency).contains("usd");
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void accountOpenedIsKnownWithoutAskingPostgres() {
        Account opened = new Account(Ids.next(Ids.ACCOUNT), "mer_1", "jpy", false, NOW);

        cache.remember(opened);

        assertThat(cache.find("mer_1", opened.id())).contains(new AccountFacts(opened.id(), "mer_1", "jpy"));
        assertThat(directory.lookups()).isEqualTo(0);
    }

    @Test
    void anotherMerchantsAccountIsMissingWhetherKnownHereOrNot() {
        AccountView theirs = directory.add("mer_2", "usd");

        assertThat(cache.find("mer_1", theirs.id())).as("asked of Postgres, which filters by merchant").isEmpty();
        assertThat(cache.find("mer_2", theirs.id())).isPresent();
        assertThat(cache.find("mer_1", theirs.id())).as("known here as mer_2's").isEmpty();

        cache.remember(new Account(theirs.id(), "mer_2", "usd", false, NOW));
        assertThat(cache.find("mer_1", theirs.id())).isEmpty();
        assertThat(directory.lookups()).isEqualTo(2);
    }

    @Test
    void boundedInEntries() {
        for (int i = 0; i < 1_000; i++) {
            cache.remember(new Account(Ids.next(Ids.ACCOUNT), "mer_1", "usd", false, NOW));
        }

        assertThat(cache.size()).isLessThanOrEqualTo(100);
    }

    @Test
    void sizeZeroKeepsNothing() {
        AccountFactsCache none = new AccountFactsCache(directory, 0, new SimpleMeterRegistry());
        AccountView row = directory.add("mer_1", "usd");

        assertThat(none.find("mer_1", row.id())).isPresent();
        assertThat(none.find("mer_1", row.id())).isPresent();

        assertThat(directory.lookups()).isEqualTo(2);
        assertThat(none.size()).isZero();
    }
}
