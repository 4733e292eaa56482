package dev.kassa.app.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kassa.app.RulePublisher;
import dev.kassa.model.Command;
import dev.kassa.model.Topics;
import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.testing.CommittedRecords;
import dev.kassa.testing.LedgerSql;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * One crash run: the seeded {@link PaymentPlan}, the topology and sink as processes
 * ({@link KassaServices}), the command producer, and the phases every scenario goes through — open
 * the accounts, fund them, drive the load while the scenario injects its faults, drain — followed by
 * {@link CrashChecks}. The seed and size come from {@code -Dkassa.crash.seed} (random by default) and
 * {@code -Dkassa.crash.payments}; both are printed at the start and named in every assertion, so a
 * failure can be replayed:
 *
 * <pre>
 * mvn -B -o verify -pl app -am -Dit.test=SinkCrashIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dfailsafe.failIfNoSpecifiedTests=false -Dkassa.crash.seed=42 -Dkassa.crash.payments=20000
 * </pre>
 *
 * <p>The seed fixes the plan (who pays whom, how much, which commands are declines or retries, in
 * what order) and the moments of the faults; ids and timing are not replayed.
 */
final class CrashHarness implements AutoCloseable {

    static final int PAYMENTS_DEFAULT = 2_000;
    static final int ACCOUNTS = 60;

    /** Bounds on each wait; generous because two cores run the broker, Postgres and three JVMs. */
    static final Duration PHASE_TIMEOUT = Duration.ofSeconds(120);
    private static final int LOAD_CHUNK = 100;

    /**
     * The rule set the services run under: none. The oracle models money, not fraud, and a plan that
     * sends dozens of payments per account per minute would trip the default velocity rules;
     * FraudIT tests the rules on the same runtime.
     */
    private static final byte[] NO_FRAUD_RULES =
            "{\"version\": \"crash-harness-no-rules\", \"rules\": []}".getBytes(StandardCharsets.UTF_8);

    private final String scenario;
    private final long seed;
    private final int payments;
    private final PaymentPlan plan;
    private final Random faults;
    private final EmbeddedRuntime runtime;
    private final KassaServices services;
    private final CommandProducer producer;
    private final CommittedRecords topics;
    private final LedgerSql sql;
    private final CrashChecks checks;
    /** Bound on sending the whole load and on the drain after it, which grow with the load. */
    private final Duration drainTimeout;
    private Thread loadThread;
    private final AtomicReference<Throwable> loadFailure = new AtomicReference<>();
    private volatile boolean loadSent;
    private final long startNanos = System.nanoTime();

    CrashHarness(String scenario, EmbeddedRuntime runtime, Path directory) {
        this.scenario = scenario;
        this.seed = Long.getLong("kassa.crash.seed", new SecureRandom().nextLong());
        this.payments = Integer.getInteger("kassa.crash.payments", PAYMENTS_DEFAULT);
        this.runtime = runtime;
        System.out.printf("[crash] %s: seed %d, %d payments over %d accounts; replay with -Dkassa.crash.seed=%d"
                + " -Dkassa.crash.payments=%d%n", scenario, seed, payments, ACCOUNTS, seed, payments);
        this.plan = PaymentPlan.generate(seed, payments, ACCOUNTS);
        this.faults = new Random(seed * 31 + 7);
        this.drainTimeout = Duration.ofSeconds(120 + payments / 50);
        this.services = new KassaServices(runtime, directory, replay());
        this.producer = new CommandProducer(runtime.bootstrapServers());
        this.topics = new CommittedRecords(runtime.bootstrapServers(), replay());
        this.sql = new LedgerSql(runtime.jdbcUrl());
        this.checks = new CrashChecks(this);
    }

    /** One line in the test log, with the seconds since the run started. */
    void log(String message) {
        System.out.printf("[crash] %s +%.1fs %s%n", scenario, (System.nanoTime() - startNanos) / 1e9, message);
    }

    /** What a failure message starts with: how to replay this run. */
    String replay() {
        return "[" + scenario + " -Dkassa.crash.seed=" + seed + " -Dkassa.crash.payments=" + payments + "]";
    }

    PaymentPlan plan() {
        return plan;
    }

    KassaServices services() {
        return services;
    }

    CommandProducer producer() {
        return producer;
    }

    CommittedRecords topics() {
        return topics;
    }

    LedgerSql sql() {
        return sql;
    }

    CrashChecks checks() {
        return checks;
    }

    /**
     * Starts both services, opens every account and funds it, and waits until the sink has booked all
     * of it: the payments are sent only once every deposit has settled, so none can race a deposit.
     */
    void startAndFund() {
        RulePublisher.publish(runtime.bootstrapServers(), KassaServices.PARTITIONS, (short) 1, NO_FRAUD_RULES);
        services.startBoth();
        log("topology and sink started");
        plan.openings().forEach(producer::send);
        producer.flush();
        awaitLedger("every account opened in Postgres",
                "SELECT count(*) FROM accounts WHERE NOT starts_with(id, 'acct_external_')", plan.accounts().size());
        plan.deposits().forEach(producer::send);
        producer.flush();
        awaitLedger("every deposit completed in Postgres",
                "SELECT count(*) FROM payments WHERE kind = 'deposit' AND status = 'completed'", plan.deposits().size());
        log(plan.accounts().size() + " accounts opened and funded by " + plan.deposits().size() + " deposits");
    }

    /**
     * Sends the load on a thread of its own, a chunk at a time, never more than a quarter of it ahead
     * of the events the topology has committed: the load then lasts while the faults are injected,
     * instead of all sitting in the topic before the first one.
     */
    void startLoad() {
        long base = committedPaymentEvents();
        int window = Math.max(300, plan.load().size() / 4);
        loadThread = new Thread(() -> {
            try {
                List<Command> load = plan.load();
                for (int from = 0; from < load.size(); from += LOAD_CHUNK) {
                    long needed = base + (from - window);
                    await(replay() + " the topology within " + window + " commands of the load")
                            .atMost(PHASE_TIMEOUT).ignoreExceptions()
                            .until(() -> committedPaymentEvents() >= needed);
                    load.subList(from, Math.min(load.size(), from + LOAD_CHUNK)).forEach(producer::send);
                    producer.flush();
                }
                loadSent = true;
                log("the whole load sent: " + load.size() + " commands, " + plan.retries() + " of them retries");
            } catch (Throwable e) {
                loadFailure.set(e);
            }
        }, "crash-load");
        loadThread.setDaemon(true);
        loadThread.start();
    }

    boolean loadSent() {
        return loadSent;
    }

    /** Waits for the load thread; fails with its error if sending failed. */
    void awaitLoadSent() throws InterruptedException {
        loadThread.join(drainTimeout.toMillis());
        assertThat(loadFailure.get()).as("%s sending the load", replay()).isNull();
        assertThat(loadSent).as("%s the whole load sent", replay()).isTrue();
    }

    /**
     * {@code count} increasing moments between 5 % and 90 % of the way from {@code from} to
     * {@code from + span}, drawn from the seed.
     */
    List<Long> moments(int count, long from, long span) {
        List<Long> moments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            moments.add(from + (long) (span * (0.05 + 0.85 * faults.nextDouble())));
        }
        moments.sort(Long::compare);
        return moments;
    }

    /**
     * Waits until {@code progress} reaches {@code target}; exceptions (e.g. Postgres away) count as not
     * yet. A target already passed (a restarted process caught up quickly) returns at once, so that the
     * next fault hits the process while it is still starting: a moment as good as any.
     */
    void awaitProgress(String what, LongSupplier progress, long target) {
        await(replay() + " " + what + " reaching " + target).atMost(PHASE_TIMEOUT).ignoreExceptions()
                .pollInterval(Duration.ofMillis(50))
                .until(() -> progress.getAsLong() >= target);
        log(what + " reached " + target);
    }

    /** Events the sink has applied to Postgres so far. */
    long appliedEvents() {
        return sql.count("SELECT count(*) FROM applied_events");
    }

    /** How far the committed part of {@code payments.events} reaches, summed over its partitions. */
    long committedPaymentEvents() {
        return topics.committedEnd(Topics.PAYMENTS_EVENTS.name());
    }

    /**
     * Events the load will add on {@code payments.events}: one per payment, its outcome (a payment
     * that takes the long way adds its PaymentInitiated, which only makes a count reach sooner).
     */
    long loadEvents() {
        return payments;
    }

    /** Waits until every payment of the plan is settled in Postgres, completed or failed. */
    void awaitDrained() throws InterruptedException {
        awaitLoadSent();
        awaitLedger("every payment settled in Postgres",
                "SELECT count(*) FROM payments WHERE status IN ('completed', 'failed')", plan.outcomes().size());
        services.requireBothAlive();
        log("drained: " + plan.outcomes().size() + " payments settled in Postgres, " + plan.failures() + " declined");
    }

    private void awaitLedger(String what, String countSql, long expected) {
        await(replay() + " " + what).atMost(drainTimeout).ignoreExceptions().pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    services.requireBothAlive();
                    assertThat(sql.count(countSql)).as("%s %s", replay(), what).isEqualTo(expected);
                });
    }

    @Override
    public void close() throws Exception {
        System.out.println("[crash] " + replay() + " topology started " + services.topologyStarts()
                + " time(s), sink " + services.sinkStarts() + " time(s)\n" + services.tails());
        try {
            services.close();
        } finally {
            producer.close();
            topics.close();
        }
    }
}
