package dev.kassa.bench;

import java.util.Arrays;

/** The shapes of load {@code ./kassa bench} knows; each runs against Kassa or the baseline. */
public enum Scenario {
    /** Many sources paying many destinations, each source always the same destination. */
    STEADY("steady", false, false, false),
    /** Many sources all paying the merchant's own account: one hot row in a naive ledger. */
    FLASH_SALE("flash-sale", true, false, false),
    /** Every payment sent three times under one key: concurrently, and after a client timeout. */
    RETRY_STORM("retry-storm", false, true, false),
    /** Steady's shape at a fixed rate (2,000/s unless told), to read the final-outcome p99. */
    LATENCY("latency", false, false, false),
    /**
     * Card payments (tok_visa) to the destinations, charged at the processor sandbox by the card
     * connector: the topology, the connector, the sandbox's HTTP and journal, and back.
     */
    CARD("card", false, false, true);

    /** The rate {@link #LATENCY} runs at unless {@code --rate} says otherwise. */
    public static final double LATENCY_RATE_DEFAULT = 2_000;

    private final String cliName;
    private final boolean hotDestination;
    private final boolean retries;
    private final boolean card;

    Scenario(String cliName, boolean hotDestination, boolean retries, boolean card) {
        this.cliName = cliName;
        this.hotDestination = hotDestination;
        this.retries = retries;
        this.card = card;
    }

    public String cliName() {
        return cliName;
    }

    public boolean hotDestination() {
        return hotDestination;
    }

    public boolean retries() {
        return retries;
    }

    /** Whether its payments are card payments, through the card connector and a card processor. */
    public boolean card() {
        return card;
    }

    public static Scenario of(String cliName) {
        return Arrays.stream(values()).filter(scenario -> scenario.cliName.equals(cliName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scenario: " + cliName));
    }
}
