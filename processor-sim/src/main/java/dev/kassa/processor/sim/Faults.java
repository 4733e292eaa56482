package dev.kassa.processor.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Set;

/**
 * The sandbox's fault settings (docs/processor-sim.md): latency added to every {@code /v1} answer, the
 * shares of requests answered 5xx without acting, of creations made and then answered by a dropped
 * connection, and of requests made and answered only after {@code timeoutMs}; and the number of lines
 * a settlement report leaves out, repeats or misstates. Set by flags at start, replaced at run time by
 * {@code PUT /admin/faults}. Rates are {@link Rate}s, exact shares, never doubles.
 */
public record Faults(
        long latencyMs,
        Rate errorRate,
        Rate dropAfterCommitRate,
        Rate timeoutRate,
        long timeoutMs,
        int settlementMissing,
        int settlementDuplicate,
        int settlementMisstated) {

    static final long LATENCY_MS_MAX = 600_000;
    public static final long TIMEOUT_MS_DEFAULT = 30_000;
    static final long TIMEOUT_MS_MAX = 600_000;
    static final int SETTLEMENT_LINES_MAX = 1_000_000;

    public static final Faults NONE = new Faults(0, Rate.NEVER, Rate.NEVER, Rate.NEVER, TIMEOUT_MS_DEFAULT, 0, 0, 0);

    private static final Set<String> FIELDS = Set.of("latency_ms", "error_rate", "drop_after_commit_rate",
            "timeout_rate", "timeout_ms", "settlement_missing", "settlement_duplicate", "settlement_misstated");

    public Faults {
        requireWithin("latency_ms", latencyMs, 0, LATENCY_MS_MAX);
        requireWithin("timeout_ms", timeoutMs, 1, TIMEOUT_MS_MAX);
        requireWithin("settlement_missing", settlementMissing, 0, SETTLEMENT_LINES_MAX);
        requireWithin("settlement_duplicate", settlementDuplicate, 0, SETTLEMENT_LINES_MAX);
        requireWithin("settlement_misstated", settlementMisstated, 0, SETTLEMENT_LINES_MAX);
        if (errorRate == null || dropAfterCommitRate == null || timeoutRate == null) {
            throw new IllegalArgumentException("every rate is set");
        }
    }

    /** Faults without misstated settlement lines, as they were before that fault existed. */
    public Faults(long latencyMs, Rate errorRate, Rate dropAfterCommitRate, Rate timeoutRate, long timeoutMs,
                  int settlementMissing, int settlementDuplicate) {
        this(latencyMs, errorRate, dropAfterCommitRate, timeoutRate, timeoutMs, settlementMissing, settlementDuplicate, 0);
    }

    /**
     * Reads the body of {@code PUT /admin/faults}: an object with any of the fields; an absent field
     * takes its default (no fault), so the body replaces the whole setting.
     *
     * @throws SandboxException {@code 400} naming the field that is unknown or invalid
     */
    public static Faults fromJson(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw SandboxException.badRequest("invalid_request", "the body must be a JSON object of fault settings");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw SandboxException.badRequest("unknown_field", name + " is not a fault setting; known: " + FIELDS);
            }
        }
        try {
            return new Faults(
                    whole(body, "latency_ms", 0),
                    rate(body, "error_rate"),
                    rate(body, "drop_after_commit_rate"),
                    rate(body, "timeout_rate"),
                    whole(body, "timeout_ms", TIMEOUT_MS_DEFAULT),
                    Math.toIntExact(whole(body, "settlement_missing", 0)),
                    Math.toIntExact(whole(body, "settlement_duplicate", 0)),
                    Math.toIntExact(whole(body, "settlement_misstated", 0)));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw SandboxException.badRequest("parameter_invalid", e.getMessage());
        }
    }

    /** The settings as {@code GET /admin/faults} answers them, rates as decimal strings. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("latency_ms", latencyMs);
        node.put("error_rate", errorRate.toString());
        node.put("drop_after_commit_rate", dropAfterCommitRate.toString());
        node.put("timeout_rate", timeoutRate.toString());
        node.put("timeout_ms", timeoutMs);
        node.put("settlement_missing", settlementMissing);
        node.put("settlement_duplicate", settlementDuplicate);
        node.put("settlement_misstated", settlementMisstated);
        return node;
    }

    private static long whole(JsonNode body, String field, long absent) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException(field + " must be a whole number; got " + value);
        }
        return value.longValue();
    }

    private static Rate rate(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Rate.NEVER;
        }
        if (!value.isTextual() && !value.isNumber()) {
            throw new IllegalArgumentException(field + " must be a decimal string between 0 and 1, e.g. \"0.25\"; got " + value);
        }
        return Rate.parse(field, value.asText());
    }

    private static void requireWithin(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be between " + min + " and " + max + "; got " + value);
        }
    }
}
