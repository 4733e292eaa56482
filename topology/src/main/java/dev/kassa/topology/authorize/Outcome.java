package dev.kassa.topology.authorize;

import dev.kassa.model.AccountEvent;
import dev.kassa.model.FraudDecision;
import dev.kassa.model.PaymentEvent;
import java.util.Objects;

/**
 * What a stage of the topology hands downstream for one input record: an event or a fraud decision
 * to publish, or a leg to route to the next stage. The topology splits a stage's outcomes by {@link #kind()} into
 * its sinks; each outcome carries its own record key, so a processor cannot key an output by the
 * wrong id.
 */
public sealed interface Outcome
        permits Outcome.PaymentEventEmitted, Outcome.AccountEventEmitted, Outcome.LegForwarded, Outcome.LegKept,
        Outcome.FraudDecisionEmitted, Outcome.CardChargeRequested {

    /** The kinds of outcome, each routed to one destination. */
    enum Kind {
        PAYMENT_EVENT("payment-events"),
        ACCOUNT_EVENT("account-events"),
        LEG("legs"),
        LOCAL_LEG("local-legs"),
        FRAUD_DECISION("fraud-decisions"),
        CARD_CHARGE("card-charges");

        private final String branchName;

        Kind(String branchName) {
            this.branchName = branchName;
        }

        /** The suffix of this kind's branch in {@code Topology#describe()}. */
        public String branchName() {
            return branchName;
        }
    }

    Kind kind();

    /** The key of the output record: payment id, account id, or the account the leg touches. */
    String key();

    /** An event for {@code payments.events}, keyed by payment id. */
    record PaymentEventEmitted(PaymentEvent event) implements Outcome {
        public PaymentEventEmitted {
            Objects.requireNonNull(event, "event");
        }

        @Override
        public Kind kind() {
            return Kind.PAYMENT_EVENT;
        }

        @Override
        public String key() {
            return event.paymentId();
        }
    }

    /** An event for {@code accounts.events}, keyed by account id. */
    record AccountEventEmitted(AccountEvent event) implements Outcome {
        public AccountEventEmitted {
            Objects.requireNonNull(event, "event");
        }

        @Override
        public Kind kind() {
            return Kind.ACCOUNT_EVENT;
        }

        @Override
        public String key() {
            return event.account().id();
        }
    }

    /** A leg for the next ledger stage, keyed by the account it touches. */
    record LegForwarded(Leg leg) implements Outcome {
        public LegForwarded {
            Objects.requireNonNull(leg, "leg");
        }

        @Override
        public Kind kind() {
            return Kind.LEG;
        }

        @Override
        public String key() {
            return leg.accountId();
        }
    }

    /**
     * A leg for the next ledger stage <b>in this task</b>: it touches the account that the input record
     * was keyed by, whose partition this task owns, so it needs no repartition (the first leg of a
     * payment at its source, of a deposit at its account, of a refund at its payment's destination).
     */
    record LegKept(Leg leg) implements Outcome {
        public LegKept {
            Objects.requireNonNull(leg, "leg");
        }

        @Override
        public Kind kind() {
            return Kind.LOCAL_LEG;
        }

        @Override
        public String key() {
            return leg.accountId();
        }
    }

    /** A fraud verdict for {@code fraud.decisions}, keyed by payment id. */
    record FraudDecisionEmitted(FraudDecision decision) implements Outcome {
        public FraudDecisionEmitted {
            Objects.requireNonNull(decision, "decision");
        }

        @Override
        public Kind kind() {
            return Kind.FRAUD_DECISION;
        }

        @Override
        public String key() {
            return decision.paymentId();
        }
    }

    /** A charge or refund for the card processor, for {@code card.charges}, keyed by payment id. */
    record CardChargeRequested(dev.kassa.model.CardCharge charge) implements Outcome {
        public CardChargeRequested {
            Objects.requireNonNull(charge, "charge");
        }

        @Override
        public Kind kind() {
            return Kind.CARD_CHARGE;
        }

        @Override
        public String key() {
            return charge.paymentId();
        }
    }
}
