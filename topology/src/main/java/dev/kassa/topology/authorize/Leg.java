package dev.kassa.topology.authorize;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.kassa.model.Account;
import dev.kassa.model.CompactSerde;
import dev.kassa.model.CreateRefund;
import dev.kassa.model.DeclineCode;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentKind;
import java.util.Objects;

/**
 * One operation on the balance of one account, travelling between the topology's stages on the
 * ledger repartition topics. Every leg is keyed by {@link #accountId()}, the one account whose
 * balance it reads and writes, so it is applied by the task that owns that account and no two
 * tasks ever touch the same balance.
 *
 * <p>A payment is a chain of legs: {@code Debit} at the source, decided and completed there when
 * the source knows its destination can take the money, then {@code CompletedCredit} at the
 * destination, which cannot fail. When the source does not know the destination yet, the debit is
 * followed by {@code Credit} at the destination, which completes the payment, and {@code Reverse} back
 * at the source when the credit cannot be applied. A deposit is a payment whose source is its
 * currency's external account: {@code Debit} at that account's task (the treasury), then the same
 * legs. An earlier release started a deposit at {@code Credit}, without debiting the external account.
 * A refund runs the other way: {@code Refund} at the payment's destination, where its refundable
 * remainder lives, then {@code RefundCredit} at its source (see {@code dev.kassa.topology.refund}).
 *
 * <p>A running cluster may hold legs written by the previous release, which published
 * {@code PaymentInitiated} for every payment and numbered every outcome 2. A field added since reads,
 * when absent, as what that release did: {@code initiatedPublished} as true, {@code sequence} as 2.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Leg.Open.class, name = "Open"),
        @JsonSubTypes.Type(value = Leg.Debit.class, name = "Debit"),
        @JsonSubTypes.Type(value = Leg.Credit.class, name = "Credit"),
        @JsonSubTypes.Type(value = Leg.CompletedCredit.class, name = "CompletedCredit"),
        @JsonSubTypes.Type(value = Leg.Reverse.class, name = "Reverse"),
        @JsonSubTypes.Type(value = Leg.Refund.class, name = "Refund"),
        @JsonSubTypes.Type(value = Leg.RefundCredit.class, name = "RefundCredit"),
        @JsonSubTypes.Type(value = Leg.CardCharge.class, name = "CardCharge"),
        @JsonSubTypes.Type(value = Leg.CardResult.class, name = "CardResult")
})
public sealed interface Leg
        permits Leg.Open, Leg.Debit, Leg.Credit, Leg.CompletedCredit, Leg.Reverse, Leg.Refund, Leg.RefundCredit,
        Leg.CardCharge, Leg.CardResult {

    /** The serde of legs on the ledger repartition topics ({@link LegSerde}). */
    CompactSerde<Leg> SERDE = new LegSerde();

    /** The account this leg touches, which is also its record key. */
    @JsonIgnore
    String accountId();

    /** Opens {@code account} with a zero balance unless it is already open. */
    record Open(Account account) implements Leg {
        public Open {
            Objects.requireNonNull(account, "account");
        }

        @Override
        public String accountId() {
            return account.id();
        }
    }

    /**
     * Takes the payment's amount from its source account. {@code initiatedPublished} says whether the
     * payment's {@code PaymentInitiated} is already out: never for a debit of this release, always for
     * one of the previous release, which published it for every payment before the debit.
     */
    record Debit(Payment payment, boolean initiatedPublished) implements Leg {
        public Debit {
            Objects.requireNonNull(payment, "payment");
        }

        /** Reads a debit; one without {@code initiatedPublished} was written by the previous release. */
        @JsonCreator
        public static Debit read(@JsonProperty("payment") Payment payment,
                                 @JsonProperty("initiatedPublished") Boolean initiatedPublished) {
            return new Debit(payment, initiatedPublished == null || initiatedPublished);
        }

        @Override
        public String accountId() {
            return payment.source();
        }
    }

    /**
     * Gives the payment's amount to its destination account: the long way, for a destination the
     * source's task did not know. {@code initiatedPublished} says whether the payment's
     * {@code PaymentInitiated} is already out: always for a payment and for a deposit debited at its
     * treasury; for a deposit credit of an earlier release, only when the release before it wrote the
     * leg. {@code sourceDebited} says whether the source gave the amount, so that a refused credit
     * must give it back ({@code Reverse}): always, but for a deposit credit an earlier release wrote,
     * which debited nobody.
     */
    record Credit(Payment payment, boolean initiatedPublished, boolean sourceDebited) implements Leg {
        public Credit {
            Objects.requireNonNull(payment, "payment");
            if (payment.kind() == PaymentKind.PAYMENT && !(initiatedPublished && sourceDebited)) {
                throw new IllegalArgumentException("payment " + payment.id()
                        + ": a payment is credited only the long way, after its debit and PaymentInitiated");
            }
        }

        /**
         * Reads a credit; one without {@code initiatedPublished} was written by the release before
         * last, one without {@code sourceDebited} by a release that credited deposits without a treasury.
         */
        @JsonCreator
        public static Credit read(@JsonProperty("payment") Payment payment,
                                  @JsonProperty("initiatedPublished") Boolean initiatedPublished,
                                  @JsonProperty("sourceDebited") Boolean sourceDebited) {
            Objects.requireNonNull(payment, "payment");
            return new Credit(payment, initiatedPublished == null || initiatedPublished,
                    sourceDebited == null ? payment.kind() == PaymentKind.PAYMENT : sourceDebited);
        }

        @Override
        public String accountId() {
            return payment.destination();
        }
    }

    /**
     * Gives the amount of a payment that completed at its source to its destination, which the source
     * checked could take it (it exists, is the merchant's, in the payment's currency): it cannot fail,
     * and it makes the payment refundable there. {@code sequence} is the sequence of the payment's
     * {@code PaymentCompleted}, which the payment's refund events number on from.
     */
    record CompletedCredit(Payment payment, long sequence) implements Leg {

        /** The sequence of {@code PaymentCompleted} in the previous release, whose legs carry none. */
        static final long PREVIOUS_RELEASE_SEQUENCE = 2;

        public CompletedCredit {
            Objects.requireNonNull(payment, "payment");
            if (sequence < 1) {
                throw new IllegalArgumentException("payment " + payment.id() + ": completed at sequence " + sequence);
            }
        }

        /** Reads a completed credit; one without {@code sequence} was written by the previous release. */
        @JsonCreator
        public static CompletedCredit read(@JsonProperty("payment") Payment payment,
                                           @JsonProperty("sequence") Long sequence) {
            return new CompletedCredit(payment, sequence == null ? PREVIOUS_RELEASE_SEQUENCE : sequence);
        }

        @Override
        public String accountId() {
            return payment.destination();
        }
    }

    /** Gives a debited amount back to the payment's source because the credit was declined with {@code declineCode}. */
    record Reverse(Payment payment, DeclineCode declineCode) implements Leg {
        public Reverse {
            Objects.requireNonNull(payment, "payment");
            Objects.requireNonNull(declineCode, "declineCode");
        }

        @Override
        public String accountId() {
            return payment.source();
        }
    }

    /** Decides a refund and takes its amount back from the payment's destination, at the destination's partition. */
    record Refund(CreateRefund command) implements Leg {
        public Refund {
            Objects.requireNonNull(command, "command");
        }

        @Override
        public String accountId() {
            return command.destination();
        }
    }

    /** Gives a completed refund's amount back to the payment's {@code source}; it cannot fail. */
    record RefundCredit(dev.kassa.model.Refund refund, String source) implements Leg {
        public RefundCredit {
            Objects.requireNonNull(refund, "refund");
            Objects.requireNonNull(source, "source");
        }

        @Override
        public String accountId() {
            return source;
        }
    }

    /**
     * Asks the card processor to charge {@code cardToken} for a card payment, at its currency's card
     * clearing account (the payment's source), whose task keeps the payment until the processor answers.
     */
    record CardCharge(Payment payment, String cardToken) implements Leg {
        public CardCharge {
            Objects.requireNonNull(payment, "payment");
            Objects.requireNonNull(cardToken, "cardToken");
            if (payment.kind() != PaymentKind.CARD) {
                throw new IllegalArgumentException("payment " + payment.id() + " of kind " + payment.kind()
                        + " charges no card");
            }
        }

        @Override
        public String accountId() {
            return payment.source();
        }
    }

    /** The processor's answer to a charge or a refund, back at the card clearing account's task that asked. */
    record CardResult(dev.kassa.model.CardChargeResult result) implements Leg {
        public CardResult {
            Objects.requireNonNull(result, "result");
        }

        @Override
        public String accountId() {
            return result.clearingAccount();
        }
    }
}
