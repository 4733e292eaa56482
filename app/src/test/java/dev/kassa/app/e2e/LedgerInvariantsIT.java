package dev.kassa.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kassa.app.e2e.ApiClient.Merchant;
import dev.kassa.ledger.verify.InvariantResult;
import dev.kassa.ledger.verify.LedgerVerifier;
import dev.kassa.testing.BalanceOracle;
import dev.kassa.testing.BalanceOracle.Verdict;
import dev.kassa.testing.LedgerSql;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * docs/architecture.md's invariant 2 (double entry) and what the tables can show of invariants 1 and 3, after a
 * mixed workload on the real gateway whose every outcome and balance is predicted by the test's own
 * {@link BalanceOracle}, then checked three ways: against the oracle, by {@link LedgerVerifier}, and
 * by this test's own SQL.
 */
@Tag("integration")
@ExtendWith(SharedGateway.class)
class LedgerInvariantsIT {

    private static final Duration SINK_WAIT = Duration.ofSeconds(30);
    private static final int MERCHANTS = 3;
    private static final int PAYMENTS_PER_MERCHANT = 14;
    private static final long SEED = 20261125L;
    private static final List<String> CURRENCIES = List.of("usd", "jpy", "kwd");

    private final TestGateway gateway;
    private final ApiClient api;
    private final LedgerSql ledger;
    private final BalanceOracle oracle = new BalanceOracle();
    /** Every account of the workload, with the merchant that may read it. */
    private final Map<String, Merchant> owners = new ConcurrentHashMap<>();
    /** Every payment and deposit of the workload, as the oracle decided it. */
    private final List<Movement> movements = new CopyOnWriteArrayList<>();

    LedgerInvariantsIT(TestGateway gateway) {
        this.gateway = gateway;
        this.api = gateway.api();
        this.ledger = gateway.ledger();
    }

    /** One payment or deposit, what it asked for, its id and what the oracle says must become of it. */
    private record Movement(String paymentId, String source, String destination, long amount, String currency,
                            Verdict verdict) {

        /** The entries it must have booked: none when declined, else minus at the source, plus at the destination. */
        Set<List<Object>> expectedEntries() {
            return verdict.completed()
                    ? Set.of(List.of(paymentId, source, -amount, currency),
                            List.of(paymentId, destination, amount, currency))
                    : Set.of();
        }
    }

    /** The accounts of one merchant of the workload: two in each currency, the first USD one its own. */
    private record Book(Merchant merchant, Map<String, List<String>> accountsByCurrency) {
        List<String> accounts(String currency) {
            return accountsByCurrency.get(currency);
        }
    }

    @Test
    void mixedWorkloadKeepsTheLedgerBalancedAndEqualToTheOracle() throws Exception {
        // Plan: three merchants, each with two USD, two JPY and two KWD accounts, run concurrently
        // (each moving money only between its own accounts, so the oracle can decide every outcome
        // in advance): deposits, transfers that fit or exceed the balance, payments in the wrong
        // currency at either end, to unknown accounts and to another merchant's account. Every answer
        // must match the oracle's verdict. Once every row is final, balances (SQL and GET) must equal
        // the oracle, the ledger verifier must find every invariant holding, and our own SQL must
        // find every transaction and every currency summing to zero, every balance equal to its
        // entries, and exactly the entries the oracle expects for each payment.
        List<Book> books = inParallel(index -> openBook(index));
        inParallel(index -> {
            runWorkload(books, index, new Random(SEED + index));
            return null;
        });

        awaitEveryRowFinalAsPredicted(books);
        assertBalancesEqualOracle();
        assertLedgerVerifierFindsEveryInvariantHolding();
        assertEveryTransactionAndCurrencySumsToZero();
        assertEveryStoredBalanceEqualsItsEntries();
        assertEachPaymentBookedExactlyItsEntries();
    }

    private Book openBook(int index) {
        Merchant merchant = api.createMerchant("LedgerInvariantsIT " + index);
        remember(merchant, merchant.ownAccount(), "usd");
        Map<String, List<String>> accounts = new LinkedHashMap<>();
        for (String currency : CURRENCIES) {
            List<String> ids = new ArrayList<>();
            if (currency.equals("usd")) {
                ids.add(merchant.ownAccount());
            }
            while (ids.size() < 2) {
                String account = api.openAccount(merchant, currency);
                remember(merchant, account, currency);
                ids.add(account);
            }
            accounts.put(currency, List.copyOf(ids));
        }
        return new Book(merchant, accounts);
    }

    private void remember(Merchant merchant, String account, String currency) {
        oracle.opened(account, merchant.id(), currency);
        owners.put(account, merchant);
    }

    private void runWorkload(List<Book> books, int index, Random random) {
        Book book = books.get(index);
        Book neighbour = books.get((index + 1) % books.size());
        for (String currency : CURRENCIES) {
            deposit(book, book.accounts(currency).get(0), 5_000 + random.nextInt(20_000));
        }
        for (int i = 0; i < PAYMENTS_PER_MERCHANT; i++) {
            String currency = CURRENCIES.get(random.nextInt(CURRENCIES.size()));
            String other = CURRENCIES.get((CURRENCIES.indexOf(currency) + 1 + random.nextInt(2)) % CURRENCIES.size());
            List<String> accounts = book.accounts(currency);
            int from = random.nextInt(2);
            String source = accounts.get(from);
            // Up to 1.5 times the balance, so some payments fit and some do not.
            long amount = 1 + random.nextInt((int) Math.max(10, oracle.balance(source) * 3 / 2));
            switch (random.nextInt(8)) {
                // The wrong currency at the source, then at the destination.
                case 0 -> pay(book, amount, other, source, book.accounts(other).get(0));
                case 1 -> pay(book, amount, currency, source, book.accounts(other).get(0));
                case 2 -> pay(book, amount, currency, source, ApiClient.unknownId("acct_"));
                case 3 -> pay(book, amount, currency, source, neighbour.accounts(currency).get(0));
                default -> pay(book, amount, currency, source, accounts.get(1 - from));
            }
        }
    }

    private void deposit(Book book, String account, long amount) {
        Verdict verdict = oracle.deposited(account, amount);
        ApiResponse response = api.deposit(book.merchant(), account, amount);
        String id = settle(book.merchant(), response, verdict);
        movements.add(new Movement(id, response.body().path("source").asText(), account, amount,
                oracle.currency(account), verdict));
    }

    private void pay(Book book, long amount, String currency, String source, String destination) {
        Verdict verdict = oracle.paid(book.merchant().id(), amount, currency, source, destination);
        ApiResponse response = api.pay(book.merchant(), amount, currency, source, destination);
        String id = settle(book.merchant(), response, verdict);
        movements.add(new Movement(id, source, destination, amount, currency, verdict));
    }

    /**
     * Checks the answer against the oracle's verdict and returns the payment's id. A 202 (the outcome
     * came after the API's wait) is followed up with GET until the payment settles, so that the next
     * payment of this merchant starts from the balance the oracle has.
     */
    private String settle(Merchant merchant, ApiResponse response, Verdict verdict) {
        if (response.status() == 202) {
            String id = response.id();
            await().atMost(SINK_WAIT).untilAsserted(() -> {
                ApiResponse stored = api.getPayment(merchant, id).expectStatus(200);
                assertThat(stored.body().path("status").asText()).isEqualTo(verdict.status());
                assertThat(stored.body().path("failure_code").asText(null)).isEqualTo(verdict.failureCode());
            });
            return id;
        }
        assertThat(response.status()).as("%s, the oracle says %s", response, verdict).isEqualTo(verdict.httpStatus());
        if (verdict.completed()) {
            assertThat(response.body().path("status").asText()).isEqualTo("completed");
            return response.id();
        }
        assertThat(response.errorCode()).as("%s", response).isEqualTo(verdict.failureCode());
        return response.error().path("payment").path("id").asText();
    }

    private void awaitEveryRowFinalAsPredicted(List<Book> books) {
        List<String> merchantIds = books.stream().map(book -> book.merchant().id()).toList();
        Map<String, String> expected = new TreeMap<>();
        movements.forEach(movement -> expected.put(movement.paymentId(), outcome(movement.verdict().status(),
                movement.verdict().failureCode())));
        assertThat(expected).as("one id per movement").hasSize(movements.size());
        await().atMost(SINK_WAIT).untilAsserted(() -> {
            Map<String, String> stored = new TreeMap<>();
            for (List<Object> row : ledger.rows(
                    "SELECT id, status, failure_code FROM payments WHERE merchant_id = ANY(?)", merchantIds)) {
                stored.put((String) row.get(0), outcome((String) row.get(1), (String) row.get(2)));
            }
            assertThat(stored).isEqualTo(expected);
        });
    }

    private static String outcome(String status, String failureCode) {
        return failureCode == null ? status : status + ":" + failureCode;
    }

    private void assertBalancesEqualOracle() {
        Map<String, Long> expected = oracle.balances();
        Map<String, Long> stored = new TreeMap<>();
        Map<String, Long> entries = new TreeMap<>();
        Map<String, Long> reported = new TreeMap<>();
        for (String account : expected.keySet()) {
            stored.put(account, ledger.storedBalance(account));
            entries.put(account, ledger.sumOfEntries(account));
            reported.put(account, api.balance(owners.get(account), account));
        }
        assertThat(stored).as("stored balances").isEqualTo(expected);
        assertThat(entries).as("sums of entries").isEqualTo(expected);
        assertThat(reported).as("balances by GET").isEqualTo(expected);
        assertThat(expected.values()).as("the workload moved money")
                .anySatisfy(balance -> assertThat(balance).isPositive());
    }

    private void assertLedgerVerifierFindsEveryInvariantHolding() throws SQLException {
        // "payment_settled" is the one check that depends on timing: another test's payment may still
        // be in flight. It must hold once traffic has settled; every other check must hold at once.
        LedgerVerifier verifier = new LedgerVerifier(gateway.dataSource(), Duration.ZERO, 10);
        List<InvariantResult> results = verifier.verify();
        assertThat(results).as("ledger verification:%n%s", describe(results)).isNotEmpty()
                .filteredOn(result -> !result.invariant().equals("payment_settled"))
                .allMatch(InvariantResult::holds);
        await().atMost(SINK_WAIT).untilAsserted(() -> {
            List<InvariantResult> settled = verifier.verify();
            assertThat(LedgerVerifier.allHold(settled)).as("ledger verification:%n%s", describe(settled)).isTrue();
        });
    }

    private void assertEveryTransactionAndCurrencySumsToZero() {
        assertThat(ledger.strings("SELECT transaction_id || ' ' || currency || ' ' || sum(amount) FROM ledger_entries"
                + " GROUP BY transaction_id, currency HAVING sum(amount) <> 0"))
                .as("unbalanced transactions").isEmpty();
        assertThat(ledger.strings("SELECT currency || ' ' || sum(amount) FROM ledger_entries GROUP BY currency"
                + " HAVING sum(amount) <> 0")).as("currencies whose entries do not sum to zero").isEmpty();
        assertThat(ledger.strings("SELECT DISTINCT currency FROM ledger_entries"))
                .as("the check saw the workload's currencies").containsAll(CURRENCIES);
    }

    private void assertEveryStoredBalanceEqualsItsEntries() {
        assertThat(ledger.strings("SELECT a.id || ' ' || a.balance || ' vs ' || coalesce(e.total, 0) FROM accounts a"
                + " LEFT JOIN (SELECT account_id, sum(amount) AS total FROM ledger_entries GROUP BY account_id) e"
                + " ON e.account_id = a.id WHERE a.balance <> coalesce(e.total, 0)"))
                .as("accounts whose balance is not the sum of their entries").isEmpty();
        assertThat(ledger.strings("SELECT DISTINCT account_id FROM ledger_entries e"
                + " WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = e.account_id)"))
                .as("entries of accounts that do not exist").isEmpty();
    }

    private void assertEachPaymentBookedExactlyItsEntries() {
        assertThat(ledger.strings("SELECT p.id || ' ' || p.status || ' ' || count(e.payment_id) FROM payments p"
                + " LEFT JOIN ledger_entries e ON e.payment_id = p.id GROUP BY p.id, p.status"
                + " HAVING (p.status = 'completed' AND count(e.payment_id) <> 2)"
                + " OR (p.status = 'failed' AND count(e.payment_id) <> 0)"))
                .as("completed payments without exactly two entries, failed ones with any").isEmpty();

        List<String> ids = movements.stream().map(Movement::paymentId).toList();
        Set<List<Object>> expected = movements.stream().flatMap(movement -> movement.expectedEntries().stream())
                .collect(Collectors.toSet());
        Set<List<Object>> booked = new HashSet<>();
        for (List<Object> row : ledger.rows("SELECT payment_id, account_id, amount, currency FROM ledger_entries"
                + " WHERE payment_id = ANY(?)", ids)) {
            booked.add(List.of(row.get(0), row.get(1), ((Number) row.get(2)).longValue(), row.get(3)));
        }
        assertThat(ledger.count("SELECT count(*) FROM ledger_entries WHERE payment_id = ANY(?)", ids))
                .as("no entry booked twice").isEqualTo(booked.size());
        assertThat(booked).as("the entries of the workload").isEqualTo(expected);
        assertThat(movements).as("the workload had both outcomes")
                .anyMatch(movement -> movement.verdict().completed())
                .anyMatch(movement -> "insufficient_funds".equals(movement.verdict().failureCode()))
                .anyMatch(movement -> "currency_mismatch".equals(movement.verdict().failureCode()))
                .anyMatch(movement -> "account_not_found".equals(movement.verdict().failureCode()));
    }

    private static String describe(List<InvariantResult> results) {
        return results.stream().map(InvariantResult::toString).collect(Collectors.joining(System.lineSeparator()));
    }

    /** The work of one merchant of the workload, by its index. */
    private interface PerMerchant<T> {
        T run(int index) throws Exception;
    }

    /** Runs {@code task} for every merchant index at once and returns the results in index order. */
    private static <T> List<T> inParallel(PerMerchant<T> task) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(MERCHANTS);
        try {
            List<Callable<T>> tasks = new ArrayList<>();
            for (int index = 0; index < MERCHANTS; index++) {
                int merchant = index;
                tasks.add(() -> task.run(merchant));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : executor.invokeAll(tasks)) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    // Rethrown as it is, so a failed assertion in a worker reads as the test's own failure.
                    if (e.getCause() instanceof Error error) {
                        throw error;
                    }
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
            return results;
        } finally {
            executor.shutdownNow();
        }
    }
}
