package dev.kassa.topology.fraud;

import dev.kassa.model.FraudAssessment;
import dev.kassa.model.JsonSerde;
import dev.kassa.topology.fraud.SourceActivity.Bucket;
import dev.kassa.topology.fraud.SourceActivity.PaidDestination;
import dev.kassa.topology.fraud.SourceActivity.RecentDecision;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

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
 * rule set version, decision time as epoch seconds and nanoseconds). Every number is a zig-zag
 * varint, as in Kafka's record format (seven bits a byte, low first); a string is its UTF-8 length plus one, then the bytes, and 0
 * for none. Entries written as JSON before this form existed start with <code>{</code> and are still
 * read as JSON; the next write stores them in this form.
 */
public final class SourceActivitySerde implements Serde<SourceActivity> {

    /** The first byte of every entry in this form; JSON entries start with '{' instead. */
    static final byte FORMAT = 1;

    private static final JsonSerde<SourceActivity> JSON = JsonSerde.of(SourceActivity.class);

    public byte[] toBytes(SourceActivity activity) {
        if (activity == null) {
            return null;
        }
        Output out = new Output();
        write(out, activity);
        return out.toByteArray();
    }

    public SourceActivity fromBytes(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length > 0 && bytes[0] == '{') {
            return JSON.fromBytes(bytes);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            byte format = in.get();
            if (format != FORMAT) {
                throw new SerializationException("cannot read SourceActivity: unknown format " + format);
            }
            SourceActivity activity = new SourceActivity(readLong(in), readBuckets(in), readBuckets(in),
                    readBuckets(in), readBuckets(in), readDestinations(in), readDecisions(in));
            if (in.hasRemaining()) {
                throw new SerializationException("cannot read SourceActivity: " + in.remaining() + " bytes left over");
            }
            return activity;
        } catch (SerializationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SerializationException("cannot read SourceActivity from " + bytes.length + " bytes: " + e, e);
        }
    }

    @Override
    public Serializer<SourceActivity> serializer() {
        return (topic, activity) -> toBytes(activity);
    }

    @Override
    public Deserializer<SourceActivity> deserializer() {
        return (topic, bytes) -> fromBytes(bytes);
    }

    private static void write(Output out, SourceActivity activity) {
        out.put(FORMAT);
        writeLong(out, activity.latestMs());
        writeBuckets(out, activity.seconds());
        writeBuckets(out, activity.minutes());
        writeBuckets(out, activity.hours());
        writeBuckets(out, activity.declineMinutes());
        writeLong(out, activity.destinations().size());
        for (PaidDestination paid : activity.destinations()) {
            writeString(out, paid.accountId());
            writeLong(out, paid.minute());
        }
        writeLong(out, activity.decisions().size());
        for (RecentDecision decision : activity.decisions()) {
            writeDecision(out, decision);
        }
    }

    private static void writeBuckets(Output out, List<Bucket> buckets) {
        writeLong(out, buckets.size());
        for (Bucket bucket : buckets) {
            writeLong(out, bucket.index());
            writeLong(out, bucket.count());
            writeLong(out, bucket.sum());
        }
    }

    private static void writeDecision(Output out, RecentDecision decision) {
        writeString(out, decision.paymentId());
        writeString(out, decision.destinationAccountId());
        writeLong(out, decision.amount());
        writeString(out, decision.currency());
        FraudAssessment assessment = decision.assessment();
        writeLong(out, assessment.score());
        writeLong(out, decisionCode(assessment.decision()));
        writeLong(out, assessment.reasons().size());
        for (String reason : assessment.reasons()) {
            writeString(out, reason);
        }
        writeString(out, decision.ruleSetVersion());
        writeLong(out, decision.decidedAt().getEpochSecond());
        writeLong(out, decision.decidedAt().getNano());
    }

    private static void writeLong(Output out, long value) {
        long zigZag = (value << 1) ^ (value >> 63);
        while ((zigZag & ~0x7FL) != 0) {
            out.put((byte) ((zigZag & 0x7F) | 0x80));
            zigZag >>>= 7;
        }
        out.put((byte) zigZag);
    }

    private static void writeString(Output out, String value) {
        if (value == null) {
            writeLong(out, 0);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        writeLong(out, utf8.length + 1L);
        out.put(utf8);
    }

    private static long readLong(ByteBuffer in) {
        long zigZag = 0;
        for (int shift = 0; shift < Long.SIZE; shift += 7) {
            byte next = in.get();
            zigZag |= (long) (next & 0x7F) << shift;
            if ((next & 0x80) == 0) {
                return (zigZag >>> 1) ^ -(zigZag & 1);
            }
        }
        throw new SerializationException("cannot read SourceActivity: a varint longer than ten bytes");
    }

    private static int readInt(ByteBuffer in, String what) {
        long value = readLong(in);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new SerializationException("cannot read SourceActivity: " + what + " " + value + " is not an int");
        }
        return (int) value;
    }

    private static List<Bucket> readBuckets(ByteBuffer in) {
        int size = readSize(in);
        List<Bucket> buckets = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            buckets.add(new Bucket(readLong(in), readLong(in), readLong(in)));
        }
        return buckets;
    }

    private static List<PaidDestination> readDestinations(ByteBuffer in) {
        int size = readSize(in);
        List<PaidDestination> destinations = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            destinations.add(new PaidDestination(readString(in), readLong(in)));
        }
        return destinations;
    }

    private static List<RecentDecision> readDecisions(ByteBuffer in) {
        int size = readSize(in);
        List<RecentDecision> decisions = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String paymentId = readString(in);
            String destination = readString(in);
            long amount = readLong(in);
            String currency = readString(in);
            int score = readInt(in, "score");
            FraudAssessment.Decision verdict = decision(readLong(in));
            int reasonCount = readSize(in);
            List<String> reasons = new ArrayList<>(reasonCount);
            for (int r = 0; r < reasonCount; r++) {
                reasons.add(readString(in));
            }
            String ruleSetVersion = readString(in);
            Instant decidedAt = Instant.ofEpochSecond(readLong(in), readInt(in, "nanoseconds"));
            decisions.add(new RecentDecision(paymentId, destination, amount, currency,
                    new FraudAssessment(score, verdict, reasons), ruleSetVersion, decidedAt));
        }
        return decisions;
    }

    private static String readString(ByteBuffer in) {
        long lengthPlusOne = readLong(in);
        if (lengthPlusOne == 0) {
            return null;
        }
        if (lengthPlusOne < 0 || lengthPlusOne - 1 > in.remaining()) {
            throw new SerializationException("cannot read SourceActivity: a string of " + (lengthPlusOne - 1)
                    + " bytes with " + in.remaining() + " left");
        }
        byte[] utf8 = new byte[(int) (lengthPlusOne - 1)];
        in.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** A list's size, refused when the bytes left could not hold that many entries of one byte each. */
    private static int readSize(ByteBuffer in) {
        long size = readLong(in);
        if (size < 0 || size > in.remaining()) {
            throw new SerializationException("cannot read SourceActivity: a list of " + size + " entries with "
                    + in.remaining() + " bytes left");
        }
        return (int) size;
    }

    private static long decisionCode(FraudAssessment.Decision decision) {
        return switch (decision) {
            case ALLOW -> 0;
            case REVIEW -> 1;
            case BLOCK -> 2;
        };
    }

    private static FraudAssessment.Decision decision(long code) {
        if (code == 0) {
            return FraudAssessment.Decision.ALLOW;
        }
        if (code == 1) {
            return FraudAssessment.Decision.REVIEW;
        }
        if (code == 2) {
            return FraudAssessment.Decision.BLOCK;
        }
        throw new SerializationException("cannot read SourceActivity: unknown decision code " + code);
    }

    /** The bytes written so far, in an array that doubles when full: one pass, whatever the entry's size. */
    private static final class Output {

        private byte[] bytes = new byte[1_024];
        private int size;

        void put(byte value) {
            ensureRoomFor(1);
            bytes[size++] = value;
        }

        void put(byte[] values) {
            ensureRoomFor(values.length);
            System.arraycopy(values, 0, bytes, size, values.length);
            size += values.length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }

        private void ensureRoomFor(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, size + more));
            }
        }
    }
}
