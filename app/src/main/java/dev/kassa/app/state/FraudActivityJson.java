package dev.kassa.app.state;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.model.Ids;
import dev.kassa.topology.fraud.SourceActivity;
import dev.kassa.topology.fraud.SourceActivity.RecentDecision;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The body of {@code GET /state/fraud/{account}}: what the fraud stage remembers of a source account,
 * as operators read it. The windows are taken at the source's latest activity ({@code as_of}), not
 * at the wall clock, because the topology counts in stream time: the features shown are those the
 * next payment of the source would be judged on, before that payment itself is counted. Feature names
 * are those of rule files; decisions come newest first.
 */
final class FraudActivityJson {

    private FraudActivityJson() {
    }

    /**
     * @throws StateException {@code 400 parameter_invalid} naming {@code account} unless it is an account id
     */
    static String requireAccountId(String account) {
        if (!Ids.isValid(Ids.ACCOUNT, account)) {
            throw StateException.parameterInvalid("account", "account must be an account id: " + Ids.ACCOUNT
                    + " followed by 32 lower-case hex digits");
        }
        return account;
    }

    static ObjectNode render(String account, SourceActivity activity, String instance) {
        ObjectNode body = JsonNodeFactory.instance.objectNode()
                .put("object", "fraud_activity")
                .put("account", account)
                .put("as_of", Instant.ofEpochMilli(activity.latestMs()).toString())
                .put("instance", instance);
        SourceActivity.Summary summary = activity.summaryAt(activity.latestMs());
        body.putObject("features")
                .put("count_1m", summary.count1m())
                .put("sum_1m", summary.sum1m())
                .put("count_1h", summary.count1h())
                .put("sum_1h", summary.sum1h())
                .put("count_24h", summary.count24h())
                .put("sum_24h", summary.sum24h())
                .put("distinct_destinations_1h", summary.distinctDestinations1h())
                .put("declines_1h", summary.declines1h());
        ArrayNode decisions = body.putArray("recent_decisions");
        List<RecentDecision> oldestFirst = activity.decisions();
        for (int i = oldestFirst.size() - 1; i >= 0; i--) {
            decisions.add(decision(oldestFirst.get(i)));
        }
        return body;
    }

    private static ObjectNode decision(RecentDecision decision) {
        ObjectNode json = JsonNodeFactory.instance.objectNode()
                .put("payment", decision.paymentId())
                .put("destination", decision.destinationAccountId())
                .put("amount", decision.amount())
                .put("currency", decision.currency())
                .put("score", decision.assessment().score())
                .put("decision", decision.assessment().decision().name().toLowerCase(Locale.ROOT));
        ArrayNode reasons = json.putArray("reasons");
        decision.assessment().reasons().forEach(reasons::add);
        return json.put("rule_set_version", decision.ruleSetVersion())
                .put("decided_at", decision.decidedAt().toString());
    }
}
