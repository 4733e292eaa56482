package dev.kassa.bench.load;

import dev.kassa.bench.setup.Fixture;
import java.util.Objects;

/**
 * The n-th payment of a run, as a pure function of n: which source pays which destination how much,
 * under which idempotency key. Source n pays with source {@code n mod S}, so payments spread evenly
 * over the sources; each source always pays the same destination ({@code s mod D}), or, in a flash
 * sale, everyone pays the merchant's own account. A card plan pays the same destinations from a test
 * card ({@value #CARD_TOKEN}) instead of a source account.
 */
public final class PaymentPlan {

    private static final long AMOUNT_MIN = 100;
    private static final long AMOUNT_SPREAD = 900;
    /** The sandbox's card that is always charged (docs/processor-sim.md, Test cards). */
    static final String CARD_TOKEN = "tok_visa";

    private final Fixture fixture;
    private final boolean hotDestination;
    private final String keyPrefix;
    private final boolean card;

    /**
     * @param hotDestination every payment credits the merchant's own account (flash sale)
     * @param keyPrefix      unique per run, so keys of two runs never collide
     */
    public PaymentPlan(Fixture fixture, boolean hotDestination, String keyPrefix) {
        this(fixture, hotDestination, keyPrefix, false);
    }

    /** @param card every payment is a card payment (source {@value #CARD_TOKEN}) */
    public PaymentPlan(Fixture fixture, boolean hotDestination, String keyPrefix, boolean card) {
        this.fixture = Objects.requireNonNull(fixture, "fixture");
        this.hotDestination = hotDestination;
        this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
        this.card = card;
        if (!hotDestination && fixture.destinations().isEmpty()) {
            throw new IllegalArgumentException("a run without a hot destination needs destination accounts");
        }
    }

    public String secretKey() {
        return fixture.secretKey();
    }

    public String idempotencyKey(long sequence) {
        return keyPrefix + sequence;
    }

    /** The request body of payment {@code sequence}, in docs/api.md's shape. */
    public String body(long sequence) {
        int source = (int) (sequence % fixture.sources().size());
        String destination = hotDestination ? fixture.ownAccount()
                : fixture.destinations().get(source % fixture.destinations().size());
        long amount = AMOUNT_MIN + Math.floorMod(sequence * 7_919, AMOUNT_SPREAD);
        String from = card ? "{\"type\": \"card\", \"token\": \"" + CARD_TOKEN + "\"}"
                : "\"" + fixture.sources().get(source) + "\"";
        return "{\"amount\": " + amount + ", \"currency\": \"usd\", \"source\": " + from
                + ", \"destination\": \"" + destination + "\", \"description\": \"bench " + sequence + "\"}";
    }
}
