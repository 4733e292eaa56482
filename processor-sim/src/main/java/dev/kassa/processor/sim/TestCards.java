package dev.kassa.processor.sim;

import dev.kassa.processor.Charge.DeclineCode;
import dev.kassa.processor.Charge.Status;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The sandbox's test card tokens and what a charge on each does (docs/processor-sim.md). Any other token
 * is unknown and refused with {@code 400 unknown_card_token}.
 */
final class TestCards {

    /** What charging a test card yields: a status and, for a decline, its reason. */
    record Behaviour(Status status, DeclineCode declineCode) {
    }

    private static final Map<String, Behaviour> CARDS = Map.of(
            "tok_visa", new Behaviour(Status.SUCCEEDED, null),
            "tok_mastercard", new Behaviour(Status.SUCCEEDED, null),
            "tok_chargeDeclined", new Behaviour(Status.DECLINED, DeclineCode.CARD_DECLINED),
            "tok_insufficientFunds", new Behaviour(Status.DECLINED, DeclineCode.INSUFFICIENT_FUNDS),
            "tok_expired", new Behaviour(Status.DECLINED, DeclineCode.EXPIRED_CARD),
            "tok_review", new Behaviour(Status.REVIEW, null));

    private TestCards() {
    }

    /** Every test card token. */
    static Set<String> tokens() {
        return CARDS.keySet();
    }

    static Optional<Behaviour> behaviour(String token) {
        return Optional.ofNullable(CARDS.get(token));
    }
}
