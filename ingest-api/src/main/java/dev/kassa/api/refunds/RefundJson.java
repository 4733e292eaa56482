package dev.kassa.api.refunds;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.api.json.JsonTimestamps;
import dev.kassa.model.Refund;
import dev.kassa.model.RefundStatus;

/**
 * The public JSON shape of a refund (docs/api.md, "Refunds"): {@code id}, {@code object: "refund"},
 * {@code payment}, {@code amount}, {@code currency}, {@code status}, {@code failure_code},
 * {@code created}. A pending refund that asked for "the rest" has no amount yet: the topology
 * decides it, so it is {@code null} until then.
 */
public final class RefundJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RefundJson() {
    }

    public static ObjectNode render(Refund refund) {
        ObjectNode json = NODES.objectNode();
        json.put("id", refund.id());
        json.put("object", "refund");
        json.put("payment", refund.paymentId());
        if (refund.status() == RefundStatus.PENDING && refund.amount() == 0) {
            json.putNull("amount");
        } else {
            json.put("amount", refund.amount());
        }
        json.put("currency", refund.currency());
        json.put("status", refund.status().wireName());
        json.put("failure_code", refund.failureCode() == null ? null : refund.failureCode().code());
        json.put("created", JsonTimestamps.of(refund.created()));
        return json;
    }

    /** A payment's refunds as a list object, like the payment listing. */
    public static ObjectNode render(RefundList list) {
        ObjectNode json = NODES.objectNode();
        json.put("object", "list");
        ArrayNode data = json.putArray("data");
        list.data().forEach(refund -> data.add(render(refund)));
        json.put("has_more", list.hasMore());
        return json;
    }
}
