package dev.kassa.ledger.verify;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one ledger check.
 *
 * @param invariant   a stable snake_case name, e.g. {@code transaction_sums_to_zero}
 * @param description the rule in one sentence
 * @param violations  how many ids break the rule (0 when it holds)
 * @param sampleIds   up to the verifier's sample bound of those ids, sorted, to start an investigation
 */
public record InvariantResult(String invariant, String description, long violations, List<String> sampleIds) {

    public InvariantResult {
        Objects.requireNonNull(invariant, "invariant");
        Objects.requireNonNull(description, "description");
        if (violations < 0) {
            throw new IllegalArgumentException("violations of " + invariant + " must not be negative: " + violations);
        }
        sampleIds = List.copyOf(sampleIds);
    }

    /** True when nothing breaks the rule. */
    public boolean holds() {
        return violations == 0;
    }

    @Override
    public String toString() {
        return invariant + ": " + (holds() ? "ok" : violations + " violation(s), e.g. " + sampleIds);
    }
}
