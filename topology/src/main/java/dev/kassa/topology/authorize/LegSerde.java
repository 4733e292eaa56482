package dev.kassa.topology.authorize;

import dev.kassa.model.BinaryReader;
import dev.kassa.model.BinaryWriter;
import dev.kassa.model.CompactSerde;
import dev.kassa.model.PaymentCodec;

/**
 * The serde of legs on the ledger repartition topics. A {@link Leg.CompletedCredit} — one per
 * payment, on {@code ledger-credits} — is written in the compact binary form: the payment, then the
 * sequence of its {@code PaymentCompleted}. Every other leg, rare by comparison (account openings,
 * the long way, reversals, refunds, card legs), stays JSON, and the legs of earlier releases, all
 * JSON, still read as what they meant (docs/architecture.md, Internal record formats).
 */
final class LegSerde extends CompactSerde<Leg> {

    /** The first byte of a {@link Leg.CompletedCredit} in the binary form. */
    static final byte COMPLETED_CREDIT = 1;

    LegSerde() {
        super(Leg.class, COMPLETED_CREDIT);
    }

    @Override
    protected boolean compact(Leg leg) {
        return leg instanceof Leg.CompletedCredit;
    }

    @Override
    protected void write(BinaryWriter out, Leg leg) {
        Leg.CompletedCredit credit = (Leg.CompletedCredit) leg;
        PaymentCodec.write(out, credit.payment());
        out.putLong(credit.sequence());
    }

    @Override
    protected Leg read(BinaryReader in) {
        return new Leg.CompletedCredit(PaymentCodec.readPayment(in), in.getLong());
    }
}
