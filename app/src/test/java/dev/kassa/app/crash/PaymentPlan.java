package dev.kassa.app.crash;

import dev.kassa.model.Command;
import dev.kassa.model.CreatePayment;
import dev.kassa.model.Ids;
import dev.kassa.model.OpenAccount;
import dev.kassa.model.PaymentKind;
import dev.kassa.testing.BalanceOracle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The commands of one crash run and the oracle of their outcome, both computed from a seed before
 * anything runs, independently of the code under test.
 *
 * <p>The topology applies the debits of one account in an order that depends on how its command
 * partitions interleave, so the oracle is made exact by construction: every account is funded (by
 * deposits that settle before any payment is sent) with at least the sum of its planned outgoing
 * payments, so each of those completes whatever the order; and each decline asks for more than its
 * source could ever hold (its funding plus every payment that could ever reach it), so it fails with
 * {@code insufficient_funds} whatever the order. Retries repeat an earlier command byte for byte
 * (same key, same payment id) and must change nothing.
 */
final class PaymentPlan {

    static final String CURRENCY = "usd";
    static final String EXTERNAL = Ids.externalAccount(CURRENCY);

    private static final int MERCHANTS = 3;
    private static final long PAYMENT_AMOUNT_MAX = 500;
    private static final long FUNDING_SLACK_MAX = 2_000;

    private final List<OpenAccount> openings = new ArrayList<>();
    private final List<CreatePayment> deposits = new ArrayList<>();
    private final List<Command> load = new ArrayList<>();
    /** Payment id to true when it must complete, false when it must fail; deposits included. */
    private final Map<String, Boolean> completes = new LinkedHashMap<>();
    private final Map<String, String> accountMerchants = new LinkedHashMap<>();
    private final BalanceOracle balances = new BalanceOracle();
    private int retries;

    private PaymentPlan() {
    }

    /**
     * {@code payments} distinct payments (about 5 % of them declines) between {@code accounts} accounts
     * spread over a few merchants, plus about 2 % retries, all drawn from {@code seed}.
     */
    static PaymentPlan generate(long seed, int payments, int accounts) {
        PaymentPlan plan = new PaymentPlan();
        plan.build(new Random(seed), payments, accounts);
        return plan;
    }

    private void build(Random random, int paymentCount, int accountCount) {
        Instant at = Instant.now();
        List<List<String>> byMerchant = openAccounts(at, accountCount);
        int declineCount = Math.max(3, paymentCount / 20);
        Map<String, Long> outgoing = new HashMap<>();
        Map<String, Long> incoming = new HashMap<>();
        List<CreatePayment> planned = new ArrayList<>();
        for (int i = 0; i < paymentCount - declineCount; i++) {
            List<String> merchantAccounts = byMerchant.get(random.nextInt(byMerchant.size()));
            String source = merchantAccounts.get(random.nextInt(merchantAccounts.size()));
            String destination = otherThan(random, merchantAccounts, source);
            long amount = 1 + random.nextInt((int) PAYMENT_AMOUNT_MAX);
            outgoing.merge(source, amount, Long::sum);
            incoming.merge(destination, amount, Long::sum);
            planned.add(command("pay-" + i, PaymentKind.PAYMENT, source, destination, amount, at));
        }
        fund(random, at, outgoing);
        for (int i = 0; i < declineCount; i++) {
            List<String> merchantAccounts = byMerchant.get(random.nextInt(byMerchant.size()));
            String source = merchantAccounts.get(random.nextInt(merchantAccounts.size()));
            String destination = otherThan(random, merchantAccounts, source);
            // More than the source could ever hold: its whole funding plus everything ever paid to it.
            long amount = funding(source) + incoming.getOrDefault(source, 0L) + 1 + random.nextInt(1_000);
            CreatePayment decline = command("decline-" + i, PaymentKind.PAYMENT, source, destination, amount, at);
            planned.add(decline);
            completes.put(decline.paymentId(), false);
        }
        Collections.shuffle(planned, random);
        for (CreatePayment payment : planned) {
            completes.putIfAbsent(payment.paymentId(), true);
            if (completes.get(payment.paymentId())) {
                balances.move(payment.source(), payment.destination(), payment.amount());
            }
        }
        load.addAll(planned);
        addRetries(random, Math.max(3, paymentCount / 50));
    }

    private List<List<String>> openAccounts(Instant at, int accountCount) {
        List<List<String>> byMerchant = new ArrayList<>();
        List<String> merchants = new ArrayList<>();
        for (int m = 0; m < MERCHANTS; m++) {
            merchants.add(Ids.next(Ids.MERCHANT, at));
            byMerchant.add(new ArrayList<>());
        }
        for (int a = 0; a < accountCount; a++) {
            String merchant = merchants.get(a % MERCHANTS);
            String account = Ids.next(Ids.ACCOUNT, at);
            openings.add(new OpenAccount(account, merchant, "open-" + a, CURRENCY, at, null));
            accountMerchants.put(account, merchant);
            byMerchant.get(a % MERCHANTS).add(account);
            balances.open(account);
        }
        return byMerchant;
    }

    /** One or two deposits per account, together at least what the account will pay out. */
    private void fund(Random random, Instant at, Map<String, Long> outgoing) {
        for (String account : accountMerchants.keySet()) {
            long total = outgoing.getOrDefault(account, 0L) + 1 + random.nextInt((int) FUNDING_SLACK_MAX);
            long first = random.nextBoolean() ? total : 1 + random.nextInt((int) total);
            addDeposit(account, first, at);
            if (first < total) {
                addDeposit(account, total - first, at);
            }
        }
    }

    private void addDeposit(String account, long amount, Instant at) {
        CreatePayment deposit = command("deposit-" + deposits.size(), PaymentKind.DEPOSIT, EXTERNAL, account,
                amount, at);
        deposits.add(deposit);
        completes.put(deposit.paymentId(), true);
        balances.move(EXTERNAL, account, amount);
    }

    private long funding(String account) {
        return deposits.stream().filter(deposit -> deposit.destination().equals(account))
                .mapToLong(CreatePayment::amount).sum();
    }

    /** Repeats of earlier commands, each inserted somewhere after its original. */
    private void addRetries(Random random, int count) {
        for (int i = 0; i < count; i++) {
            int original = random.nextInt(load.size() - 1);
            int position = original + 1 + random.nextInt(load.size() - original);
            load.add(position, load.get(original));
            retries++;
        }
    }

    private CreatePayment command(String key, PaymentKind kind, String source, String destination, long amount,
                                  Instant at) {
        String merchant = accountMerchants.get(kind == PaymentKind.DEPOSIT ? destination : source);
        return new CreatePayment(Ids.next(Ids.PAYMENT, at), merchant, key, kind, amount, CURRENCY, source,
                destination, "crash harness " + key, Map.of(), at, null);
    }

    private static String otherThan(Random random, List<String> accounts, String excluded) {
        String chosen;
        do {
            chosen = accounts.get(random.nextInt(accounts.size()));
        } while (chosen.equals(excluded));
        return chosen;
    }

    List<OpenAccount> openings() {
        return openings;
    }

    List<CreatePayment> deposits() {
        return deposits;
    }

    /** Payments, declines and retries in the order they are sent. */
    List<Command> load() {
        return load;
    }

    /** Every payment and deposit id with whether it must complete (true) or fail (false). */
    Map<String, Boolean> outcomes() {
        return completes;
    }

    /** The accounts the plan opens (not the external account). */
    List<String> accounts() {
        return List.copyOf(accountMerchants.keySet());
    }

    BalanceOracle balances() {
        return balances;
    }

    int retries() {
        return retries;
    }

    /** How many times each command key is sent beyond its first time. */
    Map<String, Integer> repeatsByKey() {
        Map<String, Integer> sent = new HashMap<>();
        load.forEach(command -> sent.merge(command.key(), 1, Integer::sum));
        Map<String, Integer> repeats = new HashMap<>();
        sent.forEach((key, times) -> {
            if (times > 1) {
                repeats.put(key, times - 1);
            }
        });
        return repeats;
    }

    long failures() {
        return completes.values().stream().filter(completed -> !completed).count();
    }
}
