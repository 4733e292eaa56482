package dev.kassa.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kassa.app.IdempotencySettings;
import dev.kassa.app.e2e.ApiClient.Merchant;
import dev.kassa.ledger.verify.InvariantResult;
import dev.kassa.ledger.verify.LedgerVerifier;
import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.testing.DedicatedRuntime;
import dev.kassa.testing.LedgerSql;
import dev.kassa.topology.treasury.DepositLimits;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The supply cap on the real gateway (docs/architecture.md, Deposits): the money in circulation in a
 * currency never exceeds the cap, so no balance can pass it — which is what keeps every balance, and
 * every sum of balances, far below the {@code long} limit that a credit once overflowed and stopped
 * the gateway on. A gateway of its own, on a runtime of this class's own, with a cap small enough to
 * reach in a few deposits.
 */
@Tag("integration")
@ExtendWith(DedicatedRuntime.class)
class SupplyCapIT {

    private static final long SINGLE = 1_000;
    private static final long CAP = 2_500;
    private static final Duration SINK_WAIT = Duration.ofSeconds(30);

    private final EmbeddedRuntime runtime;

    SupplyCapIT(EmbeddedRuntime runtime) {
        this.runtime = runtime;
    }

    @Test
    void depositsStopAtTheCapAndAllTheMoneyInOneAccountIsStillBookedAndSpent() {
        // Plan: deposit 1,000 + 1,000 + 500 into two accounts: exactly the cap of 2,500. One more unit
        // is declined 402 supply_limit_exceeded and books nothing. Then move all money into one account
        // (a balance equal to everything in circulation), and spend from it again: the gateway keeps
        // deciding, the sink books it, and every invariant of kassa ledger verify holds.
        try (TestGateway gateway = TestGateway.start(runtime, "kassa_supply_cap", IdempotencySettings.DEFAULTS,
                new DepositLimits(CAP, SINGLE, 10 * CAP))) {
            ApiClient api = gateway.api();
            Merchant merchant = api.createMerchant("supply cap");
            String rich = api.openAccount(merchant, "usd");
            String other = api.openAccount(merchant, "usd");
            api.deposit(merchant, rich, 1_000).expectStatus(201);
            api.deposit(merchant, other, 1_000).expectStatus(201);
            api.deposit(merchant, rich, 500).expectStatus(201);

            ApiResponse overCap = api.deposit(merchant, other, 1);
            assertThat(overCap.status()).as("%s", overCap).isEqualTo(402);
            assertThat(overCap.errorCode()).isEqualTo("supply_limit_exceeded");
            String declinedId = overCap.error().path("payment").path("id").asText();

            api.pay(merchant, 1_000, "usd", other, rich).expectStatus(201);
            api.pay(merchant, 1, "usd", rich, other).expectStatus(201);

            LedgerSql ledger = gateway.ledger();
            await().atMost(SINK_WAIT).untilAsserted(() -> {
                assertThat(ledger.entryCount(declinedId)).as("entries of the declined deposit").isZero();
                assertThat(ledger.storedBalance(rich)).isEqualTo(CAP - 1);
                assertThat(ledger.sumOfEntries(rich)).isEqualTo(CAP - 1);
                assertThat(ledger.storedBalance(other)).isEqualTo(1);
                assertThat(api.balance(merchant, rich)).isEqualTo(CAP - 1);
            });
            LedgerVerifier verifier = new LedgerVerifier(gateway.dataSource(), Duration.ZERO, 10);
            await().atMost(SINK_WAIT).untilAsserted(() -> {
                List<InvariantResult> results = verifier.verify();
                assertThat(results).filteredOn(result -> !result.holds()).as("violated invariants").isEmpty();
            });
        }
    }
}
