package dev.kassa.topology;

import java.time.Instant;

/**
 * Legs exactly as the release before this one wrote them on the ledger repartition topics, where a
 * running cluster may still hold them at an upgrade. The JSON is literal, written out from what that
 * release's {@code Leg.SERDE} produced, not produced by the serde under test: that release had no
 * {@code initiatedPublished} on {@code Debit} and {@code Credit}, no {@code sequence} on
 * {@code CompletedCredit}, and had published {@code PaymentInitiated} (sequence 1) of every payment
 * before its first leg. Every payment here is merchant {@code mer_alpha}'s, in usd.
 */
final class PreviousReleaseLegs {

    private static final String PAYMENT = """
            {"id":"%s","merchantId":"mer_alpha","idempotencyKey":"%s","requestFingerprint":null,\
            "kind":"%s","status":"%s","amount":%d,"currency":"usd","source":"%s","destination":"%s",\
            "amountRefunded":0,"description":"test","metadata":{},\
            "fraud":{"score":0,"decision":"allow","reasons":[]},"failureCode":null,"created":"%s"}""";

    private PreviousReleaseLegs() {
    }

    /** A payment's debit, as that release sent it through {@code ledger-legs}. */
    static String debit(String paymentId, String idempotencyKey, String source, String destination, long amount,
                        Instant created) {
        return "{\"op\":\"Debit\",\"payment\":"
                + payment(paymentId, idempotencyKey, "payment", "pending", source, destination, amount, created) + "}";
    }

    /** A deposit's credit, as that release sent it through {@code ledger-legs}. */
    static String depositCredit(String paymentId, String idempotencyKey, String destination, long amount,
                                Instant created) {
        return "{\"op\":\"Credit\",\"payment\":" + payment(paymentId, idempotencyKey, "deposit", "pending",
                "acct_external_usd", destination, amount, created) + "}";
    }

    /** The credit of a payment completed at its source, as that release sent it through {@code ledger-credits}. */
    static String completedCredit(String paymentId, String idempotencyKey, String source, String destination,
                                  long amount, Instant created) {
        return "{\"op\":\"CompletedCredit\",\"payment\":"
                + payment(paymentId, idempotencyKey, "payment", "completed", source, destination, amount, created) + "}";
    }

    static String payment(String paymentId, String idempotencyKey, String kind, String status, String source,
                          String destination, long amount, Instant created) {
        return PAYMENT.formatted(paymentId, idempotencyKey, kind, status, amount, source, destination, created);
    }
}
