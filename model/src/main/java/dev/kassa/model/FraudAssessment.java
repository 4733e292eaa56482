package dev.kassa.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/** The fraud verdict on one payment: a 0–100 risk score, a decision and the human reasons for it. */
public record FraudAssessment(int score, Decision decision, List<String> reasons) {

    /** What the fraud stage decided. */
    public enum Decision {
        @JsonProperty("allow") ALLOW,
        @JsonProperty("review") REVIEW,
        @JsonProperty("block") BLOCK
    }

    /** The verdict for a payment that no rule matched. */
    public static final FraudAssessment ALLOWED = new FraudAssessment(0, Decision.ALLOW, List.of());

    public FraudAssessment {
        Objects.requireNonNull(decision, "decision");
        if (score < 0 || score > 100) {
            throw new IllegalArgumentException("fraud score must be within 0..100: " + score);
        }
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }
}
