package dev.kassa.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.model.Account;
import dev.kassa.model.AccountEvent;
import dev.kassa.topology.authorize.AccountBalance;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountOpeningTest {

    private static final String MERCHANT = "mer_alpha";

    @TempDir
    Path stateDir;

    @Test
    void openingAnAccountPublishesAccountOpenedKeyedByAccountId() {
        try (TopologyHarness harness = new TopologyHarness(stateDir)) {
            Instant at = harness.openAccount(MERCHANT, "acct_alice", "jpy");

            assertThat(harness.accountEvents()).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo("acct_alice");
                assertThat(record.getRecordTime()).isEqualTo(at);
                AccountEvent event = record.value();
                assertThat(event.type()).isEqualTo(AccountEvent.Type.AccountOpened);
                assertThat(event.occurredAt()).isEqualTo(at);
                assertThat(event.account()).isEqualTo(new Account("acct_alice", MERCHANT, "jpy", false, at));
            });
            assertThat(harness.account("acct_alice"))
                    .contains(new AccountBalance("acct_alice", MERCHANT, "jpy", false, 0));
            assertThat(harness.paymentEvents()).isEmpty();
        }
    }

    @Test
    void openingTheSameAccountTwiceDoesNotResetItsBalance() {
        // Plan: open, deposit, open again (a replayed or conflicting request): the balance must survive
        // and only the first opening is an event.
        try (TopologyHarness harness = new TopologyHarness(stateDir)) {
            harness.openAccount(MERCHANT, "acct_alice", "usd");
            harness.deposit(MERCHANT, "acct_alice", 1_500, "usd");
            harness.openAccount(MERCHANT, "acct_alice", "usd");
            harness.openAccount("mer_beta", "acct_alice", "eur");

            assertThat(harness.account("acct_alice"))
                    .contains(new AccountBalance("acct_alice", MERCHANT, "usd", false, 1_500));
            assertThat(harness.accountEvents()).hasSize(1);
        }
    }
}
