package dev.kassa.api.payments;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.api.json.JsonTimestamps;
import dev.kassa.model.FraudAssessment;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentKind;
import dev.kassa.model.PaymentStatus;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The public JSON shape of a payment or deposit (docs/api.md, "The payment object"): snake_case fields,
 * lower-case currency and status, ISO-8601 UTC timestamps to the second.
 */
public final class PaymentJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PaymentJson() {
    }

    public static ObjectNode render(Payment payment) {
        ObjectNode json = NODES.objectNode();
        json.put("id", payment.id());
        json.put("object", payment.kind() == PaymentKind.DEPOSIT ? "deposit" : "payment");
        json.put("status", status(payment));
        json.put("amount", payment.amount());
        json.put("currency", payment.currency());
        json.put("source", payment.source());
        json.put("destination", payment.destination());
        json.put("amount_refunded", payment.amountRefunded());
        json.put("description", payment.description());
        json.set("metadata", metadata(payment.metadata()));
        json.set("fraud", fraud(payment.fraud()));
        json.put("failure_code", payment.failureCode() == null ? null : payment.failureCode().code());
        json.put("created", JsonTimestamps.of(payment.created()));
        return json;
    }

    /** A card payment the processor has not answered yet is {@code processing}; every other status as it is. */
    public static String status(Payment payment) {
        return payment.kind() == PaymentKind.CARD && payment.status() == PaymentStatus.PENDING
                ? PROCESSING : payment.status().wireName();
    }

    /** The wire status of a card payment waiting for the processor's answer. */
    public static final String PROCESSING = "processing";

    private static ObjectNode metadata(Map<String, String> metadata) {
        ObjectNode json = NODES.objectNode();
        // Sorted, so one payment always renders to the same bytes whatever map it was read into.
        new TreeMap<>(metadata).forEach(json::put);
        return json;
    }

    private static ObjectNode fraud(FraudAssessment fraud) {
        ObjectNode json = NODES.objectNode();
        json.put("score", fraud.score());
        json.put("decision", fraud.decision().name().toLowerCase(Locale.ROOT));
        ArrayNode reasons = json.putArray("reasons");
        fraud.reasons().forEach(reasons::add);
        return json;
    }
}
