package dev.kassa.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.app.e2e.ApiClient.Merchant;
import dev.kassa.testing.BalanceOracle;
import dev.kassa.testing.BalanceOracle.Verdict;
import dev.kassa.testing.LedgerSql;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A payment's whole path on the real gateway: API → Kafka → topology → Kafka → ledger sink →
 * Postgres → API, for completed and declined payments, read back one by one and by pages, with
 * every balance compared against the test's own {@link BalanceOracle}.
 */
@Tag("integration")
@ExtendWith(SharedGateway.class)
class PaymentFlowIT {

    private static final Duration SINK_WAIT = Duration.ofSeconds(30);
    private static final String PAYMENT_ID = "pay_[0-9a-f]{32}";
    private static final String TIMESTAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z";

    private final ApiClient api;
    private final LedgerSql ledger;
    private final String kafkaBootstrap;
    private final BalanceOracle oracle = new BalanceOracle();

    PaymentFlowIT(TestGateway gateway) {
        this.api = gateway.api();
        this.ledger = gateway.ledger();
        this.kafkaBootstrap = gateway.kafkaBootstrap();
    }

    @Test
    void completedPaymentMovesItsAmountAndReadsBackAsAnswered() {
        // Plan: fund a customer account with a deposit, pay part of it to the merchant's own account,
        // and check the 201 body field by field (docs/api.md's payment object). Then wait for the sink:
        // GET must return the very same object, and both balances — by GET and by summing the
        // ledger entries in SQL — must equal the oracle's.
        Merchant merchant = merchantWithOwnAccount("completed payment");
        String customer = openAccount(merchant, "usd");
        Instant before = Instant.now().minusSeconds(2);

        ApiResponse deposit = api.deposit(merchant, customer, 10_000).expectStatus(201);
        oracle.deposited(customer, 10_000);
        assertThat(deposit.body().path("object").asText()).isEqualTo("deposit");
        assertThat(deposit.body().path("status").asText()).isEqualTo("completed");
        assertThat(deposit.body().path("amount").asLong()).isEqualTo(10_000);
        assertThat(deposit.body().path("currency").asText()).isEqualTo("usd");
        assertThat(deposit.body().path("destination").asText()).isEqualTo(customer);

        ObjectNode request = ApiClient.paymentBody(2_500, "USD", customer, null)
                .put("description", "order 42");
        request.putObject("metadata").put("order_id", "42").put("channel", "web");
        ApiResponse payment = api.pay(merchant, request);
        Verdict verdict = oracle.paid(merchant.id(), 2_500, "usd", customer, merchant.ownAccount());

        assertThat(payment.status()).as("%s", payment).isEqualTo(verdict.httpStatus()).isEqualTo(201);
        JsonNode body = payment.body();
        assertThat(body.path("id").asText()).matches(PAYMENT_ID);
        assertThat(body.path("object").asText()).isEqualTo("payment");
        assertThat(body.path("status").asText()).isEqualTo("completed");
        assertThat(body.path("amount").isIntegralNumber()).isTrue();
        assertThat(body.path("amount").asLong()).isEqualTo(2_500);
        assertThat(body.path("currency").asText()).as("lower case on output").isEqualTo("usd");
        assertThat(body.path("source").asText()).isEqualTo(customer);
        assertThat(body.path("destination").asText()).as("defaults to the merchant's own account")
                .isEqualTo(merchant.ownAccount());
        assertThat(body.path("amount_refunded").asLong()).isZero();
        assertThat(body.path("description").asText()).isEqualTo("order 42");
        assertThat(body.path("metadata")).isEqualTo(ApiClient.JSON.createObjectNode()
                .put("channel", "web").put("order_id", "42"));
        assertThat(body.path("fraud").path("decision").asText()).isEqualTo("allow");
        assertThat(body.path("fraud").path("score").isIntegralNumber()).isTrue();
        assertThat(body.path("fraud").path("reasons").isArray()).isTrue();
        assertThat(body.has("failure_code")).isTrue();
        assertThat(body.path("failure_code").isNull()).isTrue();
        assertThat(body.path("created").asText()).matches(TIMESTAMP);
        assertThat(Instant.parse(body.path("created").asText())).isBetween(before, Instant.now().plusSeconds(2));

        await().atMost(SINK_WAIT).untilAsserted(() ->
                assertThat(api.getPayment(merchant, payment.id()).expectStatus(200).body()).isEqualTo(body));
        awaitBalancesMatchOracle(merchant, customer, merchant.ownAccount());
        assertThat(ledger.entryCount(payment.id())).isEqualTo(2);
    }

    @Test
    void listShowsOnlyPaymentsNewestFirstAndPagesWithStartingAfter() {
        // Plan: one deposit and five payments, created one after another so their ids are in creation
        // order. The list must hold the five (never the deposit), newest first, and walking it two at
        // a time with starting_after must give exactly the reversed creation order, with has_more
        // true until the last page.
        Merchant merchant = merchantWithOwnAccount("listing");
        String customer = openAccount(merchant, "usd");
        String depositId = api.deposit(merchant, customer, 1_000).expectStatus(201).id();
        oracle.deposited(customer, 1_000);
        List<JsonNode> created = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            created.add(api.pay(merchant, 100 + i, "usd", customer, null).expectStatus(201).body());
            oracle.paid(merchant.id(), 100 + i, "usd", customer, merchant.ownAccount());
        }
        List<JsonNode> newestFirst = new ArrayList<>(created);
        Collections.reverse(newestFirst);

        await().atMost(SINK_WAIT).untilAsserted(() -> {
            ApiResponse all = api.listPayments(merchant, "").expectStatus(200);
            assertThat(all.body().path("object").asText()).isEqualTo("list");
            assertThat(list(all.body().path("data"))).as("every payment, settled, newest first")
                    .containsExactlyElementsOf(newestFirst);
            assertThat(all.body().path("has_more").asBoolean(true)).isFalse();
        });

        ApiResponse first = api.listPayments(merchant, "limit=2").expectStatus(200);
        assertThat(list(first.body().path("data"))).containsExactlyElementsOf(newestFirst.subList(0, 2));
        assertThat(first.body().path("has_more").asBoolean()).isTrue();
        ApiResponse second = api.listPayments(merchant, "limit=2&starting_after=" + idOf(newestFirst.get(1)))
                .expectStatus(200);
        assertThat(list(second.body().path("data"))).containsExactlyElementsOf(newestFirst.subList(2, 4));
        assertThat(second.body().path("has_more").asBoolean()).isTrue();
        ApiResponse last = api.listPayments(merchant, "limit=2&starting_after=" + idOf(newestFirst.get(3)))
                .expectStatus(200);
        assertThat(list(last.body().path("data"))).containsExactlyElementsOf(newestFirst.subList(4, 5));
        assertThat(last.body().path("has_more").asBoolean(true)).isFalse();

        assertThat(api.listPayments(merchant, "limit=5").expectStatus(200).body().path("has_more").asBoolean(true))
                .as("a page exactly as long as the list has no more").isFalse();
        assertThat(api.listPayments(merchant, "limit=4").expectStatus(200).body().path("has_more").asBoolean())
                .isTrue();
        assertThat(api.getPayment(merchant, depositId).expectStatus(200).body().path("object").asText())
                .as("the deposit exists, it is only not listed").isEqualTo("deposit");
        awaitBalancesMatchOracle(merchant, customer, merchant.ownAccount());
    }

    @Test
    void paymentBeyondTheBalanceIsDeclinedAndMovesNothing() {
        // Plan: fund 1,000 and try to pay 1,001. The API must answer 402 insufficient_funds carrying
        // the failed payment; once the sink has stored the failed row, the balance (GET and the SQL
        // sum of entries) is still 1,000 and the payment booked no entry. Paying exactly 1,000 then
        // completes, which shows the topology's own balance was not touched either.
        Merchant merchant = merchantWithOwnAccount("insufficient funds");
        String customer = fundedAccount(merchant, 1_000);
        awaitBalancesMatchOracle(merchant, customer);

        ApiResponse declined = api.pay(merchant, 1_001, "usd", customer, null);
        Verdict verdict = oracle.paid(merchant.id(), 1_001, "usd", customer, merchant.ownAccount());
        assertDeclined(declined, verdict, "insufficient_funds");
        JsonNode failed = declined.error().path("payment");
        assertThat(failed.path("amount").asLong()).isEqualTo(1_001);
        assertThat(failed.path("source").asText()).isEqualTo(customer);

        awaitStoredAsFailed(merchant, failed.path("id").asText(), "insufficient_funds");
        assertThat(api.balance(merchant, customer)).isEqualTo(1_000);
        assertThat(ledger.sumOfEntries(customer)).isEqualTo(1_000);
        assertThat(ledger.storedBalance(customer)).isEqualTo(1_000);

        api.pay(merchant, 1_000, "usd", customer, null).expectStatus(201);
        oracle.paid(merchant.id(), 1_000, "usd", customer, merchant.ownAccount());
        awaitBalancesMatchOracle(merchant, customer, merchant.ownAccount());
    }

    @Test
    void paymentInAnotherCurrencyThanItsSourceIsDeclinedAsCurrencyMismatch() {
        // Plan: a JPY payment out of a funded USD account must be declined currency_mismatch (402,
        // failed payment in the body) and leave both balances exactly as the oracle has them.
        Merchant merchant = merchantWithOwnAccount("currency mismatch");
        String customer = fundedAccount(merchant, 5_000);

        ApiResponse declined = api.pay(merchant, 500, "jpy", customer, null);
        Verdict verdict = oracle.paid(merchant.id(), 500, "jpy", customer, merchant.ownAccount());
        assertDeclined(declined, verdict, "currency_mismatch");
        assertThat(declined.error().path("payment").path("currency").asText()).isEqualTo("jpy");

        awaitStoredAsFailed(merchant, declined.error().path("payment").path("id").asText(), "currency_mismatch");
        awaitBalancesMatchOracle(merchant, customer, merchant.ownAccount());
    }

    @Test
    void paymentToAnUnknownDestinationIsDeclinedAndItsSourceIsMadeWhole() {
        // Plan: pay the whole balance of 5,000 to a well-formed account id nobody opened. The
        // topology debits the source before it learns the destination is unknown, so the decline
        // (402 account_not_found) must come with a reversal: the balance is 5,000 again (GET and
        // SQL, no entry booked), and paying the full 5,000 to a real account then completes —
        // without the reversal it would be declined for insufficient funds.
        Merchant merchant = merchantWithOwnAccount("unknown destination");
        String customer = fundedAccount(merchant, 5_000);

        String nobody = ApiClient.unknownId("acct_");
        ApiResponse declined = api.pay(merchant, 5_000, "usd", customer, nobody);
        Verdict verdict = oracle.paid(merchant.id(), 5_000, "usd", customer, nobody);
        assertDeclined(declined, verdict, "account_not_found");
        String failedId = declined.error().path("payment").path("id").asText();

        awaitStoredAsFailed(merchant, failedId, "account_not_found");
        assertThat(ledger.entryCount(failedId)).isZero();
        awaitBalancesMatchOracle(merchant, customer);

        api.pay(merchant, 5_000, "usd", customer, null).expectStatus(201);
        oracle.paid(merchant.id(), 5_000, "usd", customer, merchant.ownAccount());
        awaitBalancesMatchOracle(merchant, customer, merchant.ownAccount());
    }

    @Test
    void paymentToAnotherMerchantsAccountIsDeclinedAsNotFoundAndCreditsNobody() {
        // Plan: merchant A pays into merchant B's account. To A, B's account must be as unknown as a
        // missing one: 402 account_not_found, A's money back, and B's balance untouched.
        Merchant payer = merchantWithOwnAccount("payer");
        Merchant other = merchantWithOwnAccount("other merchant");
        String customer = fundedAccount(payer, 3_000);

        ApiResponse declined = api.pay(payer, 3_000, "usd", customer, other.ownAccount());
        Verdict verdict = oracle.paid(payer.id(), 3_000, "usd", customer, other.ownAccount());
        assertDeclined(declined, verdict, "account_not_found");

        awaitStoredAsFailed(payer, declined.error().path("payment").path("id").asText(), "account_not_found");
        awaitBalancesMatchOracle(payer, customer, payer.ownAccount());
        awaitBalancesMatchOracle(other, other.ownAccount());
    }

    @Test
    void paymentFromAnAccountThatIsNotTheMerchantsAnswersNotFound() {
        // Plan: a source the merchant does not own — another merchant's funded account, or a
        // well-formed id nobody opened — must be refused before anything is published: 404
        // resource_missing naming "source" (PaymentService#ownAccount), identical for both; the
        // command topic holds no command of the thief but its own account's opening, and the other
        // merchant's balance does not move.
        String thiefKey = ApiClient.newIdempotencyKey();
        Merchant thief = api.createMerchant("PaymentFlowIT thief", thiefKey);
        oracle.opened(thief.ownAccount(), thief.id(), "usd");
        Merchant victim = merchantWithOwnAccount("victim");
        String victimAccount = fundedAccount(victim, 2_000);

        ApiResponse foreign = api.pay(thief, 2_000, "usd", victimAccount, null);
        ApiResponse unknown = api.pay(thief, 2_000, "usd", ApiClient.unknownId("acct_"), null);

        assertMissing(foreign, "source");
        assertMissing(unknown, "source");
        assertThat(CommandLog.keysStartingWith(kafkaBootstrap, thief.id() + ":"))
                .containsExactly(thief.id() + ":" + thiefKey);
        awaitBalancesMatchOracle(victim, victimAccount, victim.ownAccount());
        awaitBalancesMatchOracle(thief, thief.ownAccount());
    }

    @Test
    void accountOpenedAMomentAgoPaysAtOnceAndStaysMissingForAnotherMerchantOnceKnown() {
        // Plan: the API keeps account facts in memory, filled from Postgres, from accounts.events and
        // from its own openings, but never remembers "not found". An account opened a moment ago is
        // funded and pays at once (201). Once the API has seen that account (opened, funded, paid
        // from, read by GET), another merchant paying from it or depositing into it still gets 404
        // resource_missing naming "source" / "id", answered from memory (the hit counter moves),
        // and nothing of the thief's is published.
        Merchant owner = merchantWithOwnAccount("fresh account");
        String fresh = fundedAccount(owner, 1_000);

        ApiResponse payment = api.pay(owner, 400, "usd", fresh, null);
        Verdict verdict = oracle.paid(owner.id(), 400, "usd", fresh, owner.ownAccount());
        assertThat(payment.status()).as("%s", payment).isEqualTo(verdict.httpStatus()).isEqualTo(201);
        api.balance(owner, fresh);

        String thiefKey = ApiClient.newIdempotencyKey();
        Merchant thief = api.createMerchant("PaymentFlowIT fresh account thief", thiefKey);
        oracle.opened(thief.ownAccount(), thief.id(), "usd");
        double hitsBefore = accountFactHits();
        ApiResponse stolen = api.pay(thief, 100, "usd", fresh, null);
        ApiResponse deposited = api.deposit(thief, fresh, 100);

        assertThat(accountFactHits()).as("answered from memory").isGreaterThanOrEqualTo(hitsBefore + 2);
        assertMissing(stolen, "source");
        assertMissing(deposited, "id");
        assertThat(CommandLog.keysStartingWith(kafkaBootstrap, thief.id() + ":"))
                .containsExactly(thief.id() + ":" + thiefKey);
        awaitBalancesMatchOracle(owner, fresh, owner.ownAccount());
    }

    /** Own-account checks the API answered from its account facts cache, from its Prometheus metrics. */
    private double accountFactHits() {
        return api.metrics().lines()
                .filter(line -> line.startsWith("kassa_api_account_facts_total{") && line.contains("result=\"hit\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void paymentOutOfTheMerchantsOwnAccountWithoutDestinationIsRefusedAndMovesNothing() {
        // Plan: the destination defaults to the merchant's own account; paying out of that very
        // account without naming a destination would move money into itself. It must be refused as
        // a 400 naming "destination", publish no command, and leave the funded balance as it was.
        String merchantKey = ApiClient.newIdempotencyKey();
        Merchant merchant = api.createMerchant("PaymentFlowIT self payment", merchantKey);
        oracle.opened(merchant.ownAccount(), merchant.id(), "usd");
        String depositKey = ApiClient.newIdempotencyKey();
        api.deposit(merchant, merchant.ownAccount(), 3_000, depositKey).expectStatus(201);
        oracle.deposited(merchant.ownAccount(), 3_000);

        ApiResponse response = api.pay(merchant, 1_000, "usd", merchant.ownAccount(), null);

        assertThat(response.status()).as("%s", response).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("parameter_invalid");
        assertThat(response.errorParam()).isEqualTo("destination");
        assertThat(CommandLog.keysStartingWith(kafkaBootstrap, merchant.id() + ":"))
                .containsExactlyInAnyOrder(merchant.id() + ":" + merchantKey, merchant.id() + ":" + depositKey);
        awaitBalancesMatchOracle(merchant, merchant.ownAccount());
    }

    @Test
    void depositIntoAnUnknownAccountAnswersNotFound() {
        Merchant merchant = merchantWithOwnAccount("unknown deposit");

        ApiResponse response = api.deposit(merchant, ApiClient.unknownId("acct_"), 1_000);

        assertMissing(response, "id");
    }

    private Merchant merchantWithOwnAccount(String name) {
        Merchant merchant = api.createMerchant("PaymentFlowIT " + name);
        oracle.opened(merchant.ownAccount(), merchant.id(), "usd");
        return merchant;
    }

    private String openAccount(Merchant merchant, String currency) {
        String account = api.openAccount(merchant, currency);
        oracle.opened(account, merchant.id(), currency);
        return account;
    }

    /** A new USD account of {@code merchant}, funded by a deposit of {@code amount}. */
    private String fundedAccount(Merchant merchant, long amount) {
        String account = openAccount(merchant, "usd");
        api.deposit(merchant, account, amount).expectStatus(201);
        oracle.deposited(account, amount);
        return account;
    }

    /** A 404 resource_missing naming {@code param}, as for an id nobody created. */
    private static void assertMissing(ApiResponse response, String param) {
        assertThat(response.status()).as("%s", response).isEqualTo(404);
        assertThat(response.errorType()).isEqualTo("invalid_request_error");
        assertThat(response.errorCode()).isEqualTo("resource_missing");
        assertThat(response.errorParam()).isEqualTo(param);
    }

    private static void assertDeclined(ApiResponse response, Verdict predicted, String code) {
        assertThat(predicted.failureCode()).as("the oracle's verdict").isEqualTo(code);
        assertThat(response.status()).as("%s", response).isEqualTo(402);
        assertThat(response.errorType()).isEqualTo("payment_error");
        assertThat(response.errorCode()).isEqualTo(code);
        assertThat(response.error().path("message").asText()).isNotBlank();
        JsonNode payment = response.error().path("payment");
        assertThat(payment.path("id").asText()).matches(PAYMENT_ID);
        assertThat(payment.path("object").asText()).isEqualTo("payment");
        assertThat(payment.path("status").asText()).isEqualTo("failed");
        assertThat(payment.path("failure_code").asText()).isEqualTo(code);
    }

    /** Waits for the sink to store the payment as failed with {@code code}, then checks it booked nothing. */
    private void awaitStoredAsFailed(Merchant merchant, String paymentId, String code) {
        await().atMost(SINK_WAIT).untilAsserted(() -> {
            JsonNode stored = api.getPayment(merchant, paymentId).expectStatus(200).body();
            assertThat(stored.path("status").asText()).isEqualTo("failed");
            assertThat(stored.path("failure_code").asText()).isEqualTo(code);
        });
        assertThat(ledger.entryCount(paymentId)).as("entries of failed payment %s", paymentId).isZero();
    }

    /** Waits until each account's balance by GET, its stored balance and its entries' sum all equal the oracle's. */
    private void awaitBalancesMatchOracle(Merchant owner, String... accounts) {
        await().atMost(SINK_WAIT).untilAsserted(() -> {
            for (String account : accounts) {
                long expected = oracle.balance(account);
                assertThat(api.balance(owner, account)).as("balance of %s by GET", account).isEqualTo(expected);
                assertThat(ledger.storedBalance(account)).as("stored balance of %s", account).isEqualTo(expected);
                assertThat(ledger.sumOfEntries(account)).as("sum of the entries of %s", account).isEqualTo(expected);
            }
        });
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }

    private static String idOf(JsonNode payment) {
        return payment.path("id").asText();
    }
}
