package dev.kassa.topology.fraud;

import dev.kassa.fraud.FeatureSnapshot;
import dev.kassa.fraud.FraudRules;
import dev.kassa.model.DeclineCode;
import dev.kassa.model.FraudAssessment;
import dev.kassa.model.FraudDecision;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentKind;
import dev.kassa.topology.authorize.Leg;
import dev.kassa.topology.authorize.Outcome;
import dev.kassa.topology.authorize.Outcome.FraudDecisionEmitted;
import dev.kassa.topology.authorize.Outcome.LegForwarded;
import dev.kassa.topology.authorize.Outcome.PaymentEventEmitted;
import dev.kassa.topology.authorize.PaymentEvents;
import dev.kassa.topology.retention.BoundedPurge;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The fraud stage, on the source account's partition right before the debit: judges every payment
 * with the rule set in force over the source's features, <b>the payment itself included</b>, then
 * counts it, whatever the verdict (a blocked attempt is still an attempt). Each verdict goes to
 * {@code fraud.decisions} with its features and rule set version. {@code block} fails the payment
 * with {@code fraud_blocked} here, its first event unless the previous release already published its
 * {@code PaymentInitiated}, and counts as a decline of the source; {@code allow} and
 * {@code review} send the debit on, carrying the verdict, to authorization. Other legs (account
 * openings, a deposit's debit of its external account, credits) pass through untouched: money
 * entering from outside is bounded by the treasury's deposit limits, not by a source's behaviour.
 *
 * <p>The store writes and the outputs are in one exactly-once transaction. A replay after a crash
 * judges again, possibly under a newer rule set; only the replay's outputs are ever committed.
 */
public final class FraudProcessor implements Processor<String, Leg, String, Outcome> {

    /** How often, in stream time, idle sources are purged from the activity store. */
    public static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

    private final CurrentRules rules;
    private final BoundedPurge<SourceActivity> purge =
            new BoundedPurge<>(BoundedPurge.ENTRIES_MAX, SourceActivity::isIdle);
    private ProcessorContext<String, Outcome> context;
    private FraudMemory memory;
    private KeyValueStore<String, byte[]> ruleStore;

    /** {@code defaults} judge payments until a rule set is pushed to {@code fraud.rules}. */
    public FraudProcessor(FraudRules defaults) {
        this.rules = new CurrentRules(defaults);
    }

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        this.context = context;
        this.memory = FraudMemory.of(context);
        this.ruleStore = context.getStateStore(FraudStores.RULES);
        context.schedule(PURGE_INTERVAL, PunctuationType.STREAM_TIME,
                streamTimeMs -> purge.purge(memory.activityStore(), streamTimeMs));
    }

    @Override
    public void process(Record<String, Leg> record) {
        Leg leg = Objects.requireNonNull(record.value(), () -> "ledger leg record without a value at key " + record.key());
        List<Outcome> outcomes = leg instanceof Leg.Debit debit && debit.payment().kind() == PaymentKind.PAYMENT
                ? judge(debit, record.timestamp())
                : List.of(new LegForwarded(leg));
        for (Outcome outcome : outcomes) {
            context.forward(record.withKey(outcome.key()).withValue(outcome));
        }
    }

    private List<Outcome> judge(Leg.Debit debit, long timestampMs) {
        Payment payment = debit.payment();
        FraudRules inForce = rules.current(ruleStore);
        SourceActivity counted = memory.activity(payment.source())
                .withPayment(payment.destination(), payment.amount(), timestampMs);
        FeatureSnapshot features = counted.features(payment,
                memory.paidBefore(payment.source(), payment.destination(), timestampMs), timestampMs);
        FraudAssessment assessment = Objects.requireNonNull(inForce.evaluate(features),
                () -> "fraud rules " + inForce.version() + " returned no verdict for payment " + payment.id());
        Payment judged = payment.withFraud(assessment);
        Instant decidedAt = Instant.ofEpochMilli(timestampMs);
        FraudDecision decision = FraudDecision.of(judged, assessment, inForce.version(), features.byName(), decidedAt);
        SourceActivity judgedActivity = counted.withDecision(decision);
        if (assessment.decision() == FraudAssessment.Decision.BLOCK) {
            memory.remember(payment.source(), judgedActivity.withDecline(timestampMs));
            long sequence = PaymentEvents.outcomeSequence(debit.initiatedPublished());
            return List.of(new FraudDecisionEmitted(decision), new PaymentEventEmitted(
                    PaymentEvents.failed(judged, DeclineCode.FRAUD_BLOCKED, sequence, decidedAt)));
        }
        memory.remember(payment.source(), judgedActivity);
        return List.of(new FraudDecisionEmitted(decision),
                new LegForwarded(new Leg.Debit(judged, debit.initiatedPublished())));
    }
}
