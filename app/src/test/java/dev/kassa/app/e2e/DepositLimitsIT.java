package dev.kassa.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kassa.app.e2e.ApiClient.Merchant;
import dev.kassa.ledger.verify.InvariantResult;
import dev.kassa.ledger.verify.LedgerVerifier;
import dev.kassa.testing.LedgerSql;
import dev.kassa.topology.treasury.DepositLimits;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The treasury's deposit limits on the real gateway (docs/api.md, Deposit): a deposit larger than a
 * merchant's single-deposit limit is answered {@code 402 deposit_limit_exceeded} through the API,
 * Kafka and the topology, books nothing in Postgres, and leaves every invariant of
 * {@code kassa ledger verify} holding. The shared gateway runs with the default limits, which every
 * other test's deposits fit in.
 */
@Tag("integration")
@ExtendWith(SharedGateway.class)
class DepositLimitsIT {

    private static final Duration SINK_WAIT = Duration.ofSeconds(30);
    private static final long SINGLE = DepositLimits.DEPOSIT_LIMIT_SINGLE_DEFAULT;

    private final TestGateway gateway;
    private final ApiClient api;
    private final LedgerSql ledger;

    DepositLimitsIT(TestGateway gateway) {
        this.gateway = gateway;
        this.api = gateway.api();
        this.ledger = gateway.ledger();
    }

    @Test
    void depositOverTheSingleLimitIsDeclinedWith402AndBooksNothing() {
        // Plan: one unit over the single limit must be declined by the topology (402 with the stable
        // code, the failed deposit in the body), and its retry answered the same; a deposit of exactly
        // the limit must complete. Once the sink caught up, the declined deposit is a failed payment
        // with no ledger entries, the account holds only the accepted deposit, and kassa ledger verify holds.
        Merchant merchant = api.createMerchant("DepositLimitsIT single");
        String account = api.openAccount(merchant, "usd");
        String key = "deposit-over-limit";

        ApiResponse declined = api.deposit(merchant, account, SINGLE + 1, key);
        assertThat(declined.status()).as("%s", declined).isEqualTo(402);
        assertThat(declined.errorType()).isEqualTo("payment_error");
        assertThat(declined.errorCode()).isEqualTo("deposit_limit_exceeded");
        assertThat(declined.error().path("message").asText()).contains("single deposit");
        assertThat(declined.error().path("payment").path("status").asText()).isEqualTo("failed");
        assertThat(declined.error().path("payment").path("failure_code").asText()).isEqualTo("deposit_limit_exceeded");
        String declinedId = declined.error().path("payment").path("id").asText();

        ApiResponse retry = api.deposit(merchant, account, SINGLE + 1, key);
        assertThat(retry.status()).as("%s", retry).isEqualTo(402);
        assertThat(retry.error().path("payment").path("id").asText()).isEqualTo(declinedId);

        api.deposit(merchant, account, SINGLE).expectStatus(201);

        await().atMost(SINK_WAIT).untilAsserted(() -> {
            assertThat(ledger.strings("SELECT status FROM payments WHERE id = ?", declinedId)).containsExactly("failed");
            assertThat(ledger.strings("SELECT failure_code FROM payments WHERE id = ?", declinedId))
                    .containsExactly("deposit_limit_exceeded");
            assertThat(ledger.entryCount(declinedId)).as("ledger entries of the declined deposit").isZero();
            assertThat(ledger.storedBalance(account)).isEqualTo(SINGLE);
            assertThat(ledger.sumOfEntries(account)).isEqualTo(SINGLE);
            assertThat(api.balance(merchant, account)).isEqualTo(SINGLE);
        });

        LedgerVerifier verifier = new LedgerVerifier(gateway.dataSource(), Duration.ZERO, 10);
        await().atMost(SINK_WAIT).untilAsserted(() -> {
            List<InvariantResult> results = verifier.verify();
            assertThat(results).filteredOn(result -> !result.holds()).as("violated invariants").isEmpty();
        });
    }
}
