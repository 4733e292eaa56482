package dev.kassa.topology.fraud;

import dev.kassa.model.BinaryReader;
import dev.kassa.model.BinaryWriter;
import dev.kassa.model.CompactSerde;
import dev.kassa.model.FraudAssessment;
import dev.kassa.topology.fraud.SourceActivity.Bucket;
import dev.kassa.topology.fraud.SourceActivity.PaidDestination;
import dev.kassa.topology.fraud.SourceActivity.RecentDecision;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@code fraud-activity} stores a {@link SourceActivity}: a compact binary form, because the
 * fraud stage reads and rewrites a source's whole entry with every payment of that source. As JSON
 * the entry (up to 60 + 60 + 24 buckets and ten decisions: about 6.5 kB in {@code kassa bench
 * steady}) was a fifth of the stream thread's samples; this form is read and written field by field,
 * with no reflection and no field names, in a third of the bytes.
 *
 * <p>Layout: the format byte {@value #FORMAT}, {@code latestMs}, then the four bucket lists (size,
 * then index, count, sum per bucket), the destinations (size, then account id and minute), the
 * decisions (size, then payment id, destination, amount, currency, score, decision code, reasons,
 * rule set version, decision time as epoch seconds and nanoseconds), each number and string as
 * {@link BinaryWriter} writes them. Entries written as JSON before this form existed start with
 * <code>{</code> and are still read as JSON; the next write stores them in this form.
 */
public final class SourceActivitySerde extends CompactSerde<SourceActivity> {

    /** The first byte of every entry in this form; JSON entries start with '{' instead. */
    static final byte FORMAT = 1;

    public SourceActivitySerde() {
        super(SourceActivity.class, FORMAT);
    }

    @Override
    protected void write(BinaryWriter out, SourceActivity activity) {
        out.putLong(activity.latestMs());
        writeBuckets(out, activity.seconds());
        writeBuckets(out, activity.minutes());
        writeBuckets(out, activity.hours());
        writeBuckets(out, activity.declineMinutes());
        out.putLong(activity.destinations().size());
        for (PaidDestination paid : activity.destinations()) {
            out.putString(paid.accountId()).putLong(paid.minute());
        }
        out.putLong(activity.decisions().size());
        for (RecentDecision decision : activity.decisions()) {
            writeDecision(out, decision);
        }
    }

    @Override
    protected SourceActivity read(BinaryReader in) {
        return new SourceActivity(in.getLong(), readBuckets(in), readBuckets(in), readBuckets(in), readBuckets(in),
                readDestinations(in), readDecisions(in));
    }

    private static void writeBuckets(BinaryWriter out, List<Bucket> buckets) {
        out.putLong(buckets.size());
        for (Bucket bucket : buckets) {
            out.putLong(bucket.index()).putLong(bucket.count()).putLong(bucket.sum());
        }
    }

    private static void writeDecision(BinaryWriter out, RecentDecision decision) {
        FraudAssessment assessment = decision.assessment();
        out.putString(decision.paymentId()).putString(decision.destinationAccountId()).putLong(decision.amount())
                .putString(decision.currency()).putLong(assessment.score()).putLong(decisionCode(assessment.decision()))
                .putStrings(assessment.reasons()).putString(decision.ruleSetVersion())
                .putInstant(decision.decidedAt());
    }

    private static List<Bucket> readBuckets(BinaryReader in) {
        int size = in.getSize();
        List<Bucket> buckets = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            buckets.add(new Bucket(in.getLong(), in.getLong(), in.getLong()));
        }
        return buckets;
    }

    private static List<PaidDestination> readDestinations(BinaryReader in) {
        int size = in.getSize();
        List<PaidDestination> destinations = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            destinations.add(new PaidDestination(in.getString(), in.getLong()));
        }
        return destinations;
    }

    private static List<RecentDecision> readDecisions(BinaryReader in) {
        int size = in.getSize();
        List<RecentDecision> decisions = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String paymentId = in.getString();
            String destination = in.getString();
            long amount = in.getLong();
            String currency = in.getString();
            int score = in.getInt("score");
            FraudAssessment.Decision verdict = decision(in, in.getLong());
            List<String> reasons = in.getStrings();
            String ruleSetVersion = in.getString();
            decisions.add(new RecentDecision(paymentId, destination, amount, currency,
                    new FraudAssessment(score, verdict, reasons), ruleSetVersion, in.getInstant()));
        }
        return decisions;
    }

    private static long decisionCode(FraudAssessment.Decision decision) {
        return switch (decision) {
            case ALLOW -> 0;
            case REVIEW -> 1;
            case BLOCK -> 2;
        };
    }

    private static FraudAssessment.Decision decision(BinaryReader in, long code) {
        if (code == 0) {
            return FraudAssessment.Decision.ALLOW;
        }
        if (code == 1) {
            return FraudAssessment.Decision.REVIEW;
        }
        if (code == 2) {
            return FraudAssessment.Decision.BLOCK;
        }
        throw in.damaged("unknown decision code " + code);
    }
}
