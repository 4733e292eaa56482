package dev.kassa.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JSON contract of {@code payments.events}. The shape of each event type — every field name
 * and its JSON type, recursively — is checked in per schema version under
 * {@code src/test/resources/event-schema/v<N>.json}, and docs/events.md holds a JSON example of
 * each type. A change to the shape fails here until all three move together: the code's
 * {@link PaymentEvent#SCHEMA_VERSION} is bumped, a new {@code v<N>.json} is written (the old ones
 * stay, and must differ from it, so a version never changes meaning), and the documentation's
 * version and examples match the new shape. The expected shapes are files, not computed from the
 * code under test, so the check is not circular; the examples are parsed from the documentation
 * itself, so the documentation cannot drift from what the topic carries.
 */
class EventSchemaTest {

    private static final Path EVENTS_DOC = Path.of("..", "docs", "events.md");
    /** Fields whose value is a free-form map: its keys are data, not schema. */
    private static final Set<String> MAP_FIELDS = Set.of("payment.metadata");
    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);
    private static final Instant AT = Instant.parse("2026-11-25T08:00:00.123Z");

    @Test
    void everyEventTypesShapeIsTheCheckedInShapeOfTheCurrentSchemaVersion() throws IOException {
        JsonNode expected = schema(PaymentEvent.SCHEMA_VERSION);

        ObjectNode actual = currentShapes();

        assertThat(actual).as("""
                The JSON shape of payments.events changed. If that is intended: bump PaymentEvent.SCHEMA_VERSION, \
                add src/test/resources/event-schema/v<new>.json with this shape, and update docs/events.md. \
                Actual shape: %s""", actual).isEqualTo(expected);
    }

    @Test
    void everySchemaVersionUpToTheCurrentOneIsKeptAndEachChangedTheShape() throws IOException {
        for (int version = 2; version <= PaymentEvent.SCHEMA_VERSION; version++) {
            assertThat(schema(version)).as("version %d must differ from version %d", version, version - 1)
                    .isNotEqualTo(schema(version - 1));
        }
        assertThat(EventSchemaTest.class.getResource("/event-schema/v" + (PaymentEvent.SCHEMA_VERSION + 1) + ".json"))
                .as("a schema file ahead of PaymentEvent.SCHEMA_VERSION").isNull();
    }

    @Test
    void eventsDocumentationStatesTheCurrentVersionAndHasAMatchingExampleOfEveryType() throws IOException {
        String doc = Files.readString(EVENTS_DOC, StandardCharsets.UTF_8);
        JsonNode expected = schema(PaymentEvent.SCHEMA_VERSION);

        assertThat(doc).contains("Current schema version: **" + PaymentEvent.SCHEMA_VERSION + "**");
        Map<String, JsonNode> examples = examples(doc);
        assertThat(examples.keySet()).as("a JSON example per event type in docs/events.md")
                .containsExactlyInAnyOrderElementsOf(fieldNames(expected));
        examples.forEach((type, example) -> {
            assertThat(example.path("schemaVersion").asInt()).as("%s example's schemaVersion", type)
                    .isEqualTo(PaymentEvent.SCHEMA_VERSION);
            List<String> mismatches = new ArrayList<>();
            compatible(shape(example, ""), expected.get(type), type, mismatches);
            assertThat(mismatches).as("docs/events.md's %s example against the schema", type).isEmpty();
        });
    }

    @Test
    void everyFieldOfTheSchemaIsNamedInTheEventsDocumentation() throws IOException {
        String doc = Files.readString(EVENTS_DOC, StandardCharsets.UTF_8);
        Set<String> fields = new TreeSet<>();
        schema(PaymentEvent.SCHEMA_VERSION).forEach(type -> collectFieldNames(type, fields));

        assertThat(fields).allSatisfy(field -> assertThat(doc).as("docs/events.md names `%s`", field)
                .contains("`" + field + "`"));
    }

    /** One event of every type, as the topology builds them, rendered by the topic's serde and reduced to its shape. */
    static ObjectNode currentShapes() throws IOException {
        ObjectNode shapes = JsonNodeFactory.instance.objectNode();
        for (PaymentEvent event : samples()) {
            byte[] json = Topics.PAYMENTS_EVENTS.valueSerde().serializer().serialize("payments.events", event);
            shapes.set(event.type().name(), shape(Json.mapper().readTree(json), ""));
        }
        return shapes;
    }

    private static List<PaymentEvent> samples() {
        CreatePayment command = new CreatePayment("pay_0190a1b2c3d4e5f60718293a4b5c6d7e", "mer_1", "order-42",
                PaymentKind.PAYMENT, 1_000, "usd", "acct_a", "acct_b", "order 42", Map.of("order", "42"), AT, "fp");
        Payment pending = Payment.pending(command).withFraud(new FraudAssessment(10, FraudAssessment.Decision.ALLOW,
                List.of("new payee")));
        Payment completed = pending.completed();
        List<LedgerEntry> paid = List.of(new LedgerEntry("acct_a", -1_000, "usd"), new LedgerEntry("acct_b", 1_000, "usd"));
        Refund refund = Refund.requested(new CreateRefund("re_0190a1b2c3d4e5f60718293a4b5c6d7f", completed.id(), "mer_1",
                "refund-1", 300L, "acct_b", AT, "fp2"), 300, "usd");
        List<LedgerEntry> refunded = List.of(new LedgerEntry("acct_b", -300, "usd"), new LedgerEntry("acct_a", 300, "usd"));
        return List.of(
                PaymentEvent.of(PaymentEventType.PaymentInitiated, 1, AT, pending, List.of()),
                PaymentEvent.of(PaymentEventType.PaymentCompleted, 2, AT, completed, paid),
                PaymentEvent.of(PaymentEventType.PaymentFailed, 2, AT, pending.failed(DeclineCode.INSUFFICIENT_FUNDS),
                        List.of()),
                PaymentEvent.ofRefund(PaymentEventType.RefundRequested, 3, AT, completed, List.of(), refund),
                PaymentEvent.ofRefund(PaymentEventType.RefundCompleted, 4, AT, completed.refunded(300), refunded,
                        refund.completed()),
                PaymentEvent.ofRefund(PaymentEventType.RefundFailed, 4, AT, completed, List.of(),
                        refund.failed(DeclineCode.REFUND_EXCEEDS_PAYMENT)));
    }

    /**
     * The shape of a JSON value: objects keep their field names with each value's shape, arrays the
     * shape of their elements (empty when they have none), scalars the name of their JSON type.
     */
    static JsonNode shape(JsonNode node, String path) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (node.isObject()) {
            if (MAP_FIELDS.contains(path)) {
                return nodes.textNode("map<string,string>");
            }
            ObjectNode shape = nodes.objectNode();
            node.fields().forEachRemaining(field -> shape.set(field.getKey(),
                    shape(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey())));
            return shape;
        }
        if (node.isArray()) {
            ArrayNode shape = nodes.arrayNode();
            if (!node.isEmpty()) {
                shape.add(shape(node.get(0), path + "[]"));
            }
            return shape;
        }
        return nodes.textNode(node.isNull() ? "null" : node.isTextual() ? "string" : node.isIntegralNumber()
                ? "integer" : node.isNumber() ? "number" : node.isBoolean() ? "boolean" : node.getNodeType().name());
    }

    /**
     * Whether an example's shape fits the schema's: the same fields everywhere, the same types, except
     * that a null on either side fits any type (an example may show an optional field either way) and
     * an empty array fits any array.
     */
    private static void compatible(JsonNode example, JsonNode schema, String path, List<String> mismatches) {
        if (isNullType(example) || isNullType(schema)) {
            return;
        }
        if (example.isObject() && schema.isObject()) {
            Set<String> names = new TreeSet<>(fieldNames(example));
            names.addAll(fieldNames(schema));
            for (String name : names) {
                if (!example.has(name) || !schema.has(name)) {
                    mismatches.add(path + "." + name + (example.has(name) ? " is not in the schema" : " is missing"));
                } else {
                    compatible(example.get(name), schema.get(name), path + "." + name, mismatches);
                }
            }
        } else if (example.isArray() && schema.isArray()) {
            if (!example.isEmpty() && !schema.isEmpty()) {
                compatible(example.get(0), schema.get(0), path + "[]", mismatches);
            }
        } else if (!example.equals(schema)) {
            mismatches.add(path + " is " + example + ", the schema says " + schema);
        }
    }

    private static boolean isNullType(JsonNode shape) {
        return shape.isTextual() && shape.textValue().equals("null");
    }

    /** Each ```json block of the documentation that is an event, by its type. */
    private static Map<String, JsonNode> examples(String doc) throws IOException {
        Map<String, JsonNode> examples = new LinkedHashMap<>();
        Matcher blocks = JSON_BLOCK.matcher(doc);
        while (blocks.find()) {
            JsonNode json = Json.mapper().readTree(blocks.group(1));
            if (json.isObject() && json.has("type") && json.has("sequence")) {
                assertThat(examples.put(json.get("type").asText(), json)).as("one example of %s", json.get("type"))
                        .isNull();
            }
        }
        return examples;
    }

    private static JsonNode schema(int version) throws IOException {
        try (InputStream in = EventSchemaTest.class.getResourceAsStream("/event-schema/v" + version + ".json")) {
            assertThat(in).as("src/test/resources/event-schema/v%d.json", version).isNotNull();
            return Json.mapper().readTree(in);
        }
    }

    private static void collectFieldNames(JsonNode shape, Set<String> names) {
        if (shape.isObject()) {
            shape.fields().forEachRemaining(field -> {
                names.add(field.getKey());
                collectFieldNames(field.getValue(), names);
            });
        } else if (shape.isArray() && !shape.isEmpty()) {
            collectFieldNames(shape.get(0), names);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> iterator = node.fieldNames();
        iterator.forEachRemaining(names::add);
        return names;
    }
}
