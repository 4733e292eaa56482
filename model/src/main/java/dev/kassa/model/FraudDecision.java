package dev.kassa.model;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One record on {@code fraud.decisions}, keyed by payment id: the fraud stage's verdict on one
 * payment together with everything that produced it, so that an analyst can tell why a payment was
 * allowed, sent to review or blocked without replaying the stream. {@code features} holds the
 * feature snapshot by rule-file name ({@code count_1m}, {@code paid_destination_before}, …) as the
 * rules saw it, the payment itself included; {@code ruleSetVersion} names the rule set applied.
 */
public record FraudDecision(
        int schemaVersion,
        String paymentId,
        String merchantId,
        String sourceAccountId,
        String destinationAccountId,
        long amount,
        String currency,
        FraudAssessment assessment,
        String ruleSetVersion,
        Map<String, Object> features,
        Instant decidedAt) {

    /** Bumped whenever the JSON shape of a decision changes. */
    public static final int SCHEMA_VERSION = 1;

    public FraudDecision {
        Objects.requireNonNull(paymentId, "paymentId");
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(sourceAccountId, "sourceAccountId");
        Objects.requireNonNull(destinationAccountId, "destinationAccountId");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(assessment, "assessment");
        Objects.requireNonNull(ruleSetVersion, "ruleSetVersion");
        Objects.requireNonNull(decidedAt, "decidedAt");
        // Insertion order is the feature order the rules library defines; keep it for readers.
        features = features == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(features));
    }

    /** The decision of the current schema version on {@code payment}, judged as {@code assessment}. */
    public static FraudDecision of(Payment payment, FraudAssessment assessment, String ruleSetVersion,
                                   Map<String, Object> features, Instant decidedAt) {
        return new FraudDecision(SCHEMA_VERSION, payment.id(), payment.merchantId(), payment.source(),
                payment.destination(), payment.amount(), payment.currency(), assessment, ruleSetVersion, features,
                decidedAt);
    }

    /** The reasons of the verdict, for readers that do not need the whole assessment. */
    public List<String> reasons() {
        return assessment.reasons();
    }
}
