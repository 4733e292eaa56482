package dev.kassa.model;

/**
 * The binary layouts of a {@link Payment}, a {@link CreatePayment} and a {@link FraudAssessment}, as
 * parts of the internal records that carry them (docs/architecture.md, Internal record formats).
 * Each writes its fields in declaration order with {@link BinaryWriter}; enums by constant name.
 */
public final class PaymentCodec {

    private PaymentCodec() {
    }

    public static void write(BinaryWriter out, Payment payment) {
        out.putString(payment.id()).putString(payment.merchantId()).putString(payment.idempotencyKey())
                .putString(payment.requestFingerprint()).putEnum(payment.kind()).putEnum(payment.status())
                .putLong(payment.amount()).putString(payment.currency()).putString(payment.source())
                .putString(payment.destination()).putLong(payment.amountRefunded()).putString(payment.description())
                .putStringMap(payment.metadata());
        write(out, payment.fraud());
        out.putEnum(payment.failureCode()).putInstant(payment.created());
    }

    public static Payment readPayment(BinaryReader in) {
        return new Payment(in.getString(), in.getString(), in.getString(), in.getString(),
                in.getEnum(PaymentKind.class), in.getEnum(PaymentStatus.class), in.getLong(), in.getString(),
                in.getString(), in.getString(), in.getLong(), in.getString(), in.getStringMap(), readAssessment(in),
                in.getEnum(DeclineCode.class), in.getInstant());
    }

    public static void write(BinaryWriter out, CreatePayment command) {
        out.putString(command.paymentId()).putString(command.merchantId()).putString(command.idempotencyKey())
                .putEnum(command.kind()).putLong(command.amount()).putString(command.currency())
                .putString(command.source()).putString(command.destination()).putString(command.description())
                .putStringMap(command.metadata()).putInstant(command.requestedAt())
                .putString(command.requestFingerprint()).putString(command.cardToken());
    }

    public static CreatePayment readCreatePayment(BinaryReader in) {
        return new CreatePayment(in.getString(), in.getString(), in.getString(), in.getEnum(PaymentKind.class),
                in.getLong(), in.getString(), in.getString(), in.getString(), in.getString(), in.getStringMap(),
                in.getInstant(), in.getString(), in.getString());
    }

    public static void write(BinaryWriter out, FraudAssessment assessment) {
        out.putLong(assessment.score()).putEnum(assessment.decision()).putStrings(assessment.reasons());
    }

    public static FraudAssessment readAssessment(BinaryReader in) {
        int score = in.getInt("score");
        FraudAssessment.Decision decision = in.getEnum(FraudAssessment.Decision.class);
        if (decision == null) {
            throw in.damaged("a fraud assessment without a decision");
        }
        return new FraudAssessment(score, decision, in.getStrings());
    }
}
