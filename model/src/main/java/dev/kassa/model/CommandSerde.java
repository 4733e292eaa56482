package dev.kassa.model;

/**
 * The serde of {@code payments.commands}, an internal topic between the API and the topology: a
 * {@link CreatePayment} — nearly every command — in the compact binary form, the rarer account
 * openings and refunds as JSON, and JSON commands of earlier releases still read (docs/architecture.md,
 * Internal record formats). Upgrade the topology before the API: a topology of an earlier release
 * cannot read the binary form and dead-letters it.
 */
public final class CommandSerde extends CompactSerde<Command> {

    /** The first byte of a {@link CreatePayment} in the binary form. */
    static final byte CREATE_PAYMENT = 1;

    public CommandSerde() {
        super(Command.class, CREATE_PAYMENT);
    }

    @Override
    protected boolean compact(Command command) {
        return command instanceof CreatePayment;
    }

    @Override
    protected void write(BinaryWriter out, Command command) {
        PaymentCodec.write(out, (CreatePayment) command);
    }

    @Override
    protected Command read(BinaryReader in) {
        return PaymentCodec.readCreatePayment(in);
    }
}
