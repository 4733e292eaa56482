package dev.kassa.app.state;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.topology.KassaTopology;
import dev.kassa.topology.StoreLookup;
import dev.kassa.topology.dedupe.IdempotencyEntry;
import dev.kassa.topology.fraud.SourceActivity;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * {@code GET /state/health} (no authentication), {@code GET /state/idempotency/{merchant}/{key}}
 * (optionally {@code ?account=}, the account the key's command was routed by) and
 * {@code GET /state/fraud/{account}} (admin token). Each lookup handler checks the token, parses the
 * path, asks the topology once and maps its answer; errors are thrown as {@link StateException} and
 * written by {@link StateErrors}.
 */
final class StateRoutes {

    static final String IDEMPOTENCY_PREFIX = "/state/idempotency/";
    static final String FRAUD_PREFIX = "/state/fraud/";

    /** The topology the endpoint answers from, and the {@code host:port} it advertises. */
    record Served(TopologyQueries topology, String instance) {
        Served {
            Objects.requireNonNull(topology, "topology");
            Objects.requireNonNull(instance, "instance");
        }
    }

    private final AdminToken adminToken;
    private final Supplier<Served> served;

    StateRoutes(AdminToken adminToken, Supplier<Served> served) {
        this.adminToken = Objects.requireNonNull(adminToken, "adminToken");
        this.served = Objects.requireNonNull(served, "served");
    }

    void register(RoutesConfig routes) {
        routes.get("/state/health", this::health);
        routes.get(IDEMPOTENCY_PREFIX + "{merchant}/{key}", this::idempotencyKey);
        routes.get(FRAUD_PREFIX + "{account}", this::fraudActivity);
    }

    /** 200 while the client is RUNNING; 503 while it starts, rebalances, or after it stopped. */
    private void health(Context ctx) {
        Served current = served.get();
        KafkaStreams.State state = current == null ? null : current.topology().state();
        writeJson(ctx, state == KafkaStreams.State.RUNNING ? 200 : 503, JsonNodeFactory.instance.objectNode()
                .put("state", state == null ? "NOT_STARTED" : state.name()));
    }

    private void idempotencyKey(Context ctx) {
        adminToken.check(ctx.header("Authorization"));
        IdempotencyKeyPath path = rawPath(ctx);
        Served current = servedOrThrow();
        StoreLookup<IdempotencyEntry> lookup =
                current.topology().idempotencyKey(path.merchant(), path.key(), path.account());
        writeJson(ctx, 200, entryOrThrow(path, lookup, current.instance()));
    }

    private void fraudActivity(Context ctx) {
        adminToken.check(ctx.header("Authorization"));
        String account = FraudActivityJson.requireAccountId(ctx.pathParam("account"));
        Served current = servedOrThrow();
        StoreLookup<SourceActivity> lookup = current.topology().fraudActivity(account);
        writeJson(ctx, 200, activityOrThrow(account, lookup, current.instance()));
    }

    private Served servedOrThrow() {
        Served current = served.get();
        if (current == null) {
            throw StateException.unavailable("the topology has not started on this instance yet");
        }
        return current;
    }

    /**
     * The two segments as the client sent them, from the raw request URI: Javalin's decoded path
     * parameters would turn {@code +} into a space and could not tell {@code %2F} from {@code /}.
     */
    private static IdempotencyKeyPath rawPath(Context ctx) {
        String uri = ctx.req().getRequestURI();
        String segments = uri.startsWith(IDEMPOTENCY_PREFIX) ? uri.substring(IDEMPOTENCY_PREFIX.length()) : "";
        int slash = segments.indexOf('/');
        if (slash < 0 || segments.indexOf('/', slash + 1) >= 0) {
            throw StateException.parameterInvalid("key", "the path must be " + IDEMPOTENCY_PREFIX
                    + "{merchant}/{key}, with any / in the key sent as %2F");
        }
        return IdempotencyKeyPath.parse(segments.substring(0, slash), segments.substring(slash + 1),
                ctx.queryParam("account"));
    }

    /** The entry when this instance has it; otherwise the answer's error. */
    private static ObjectNode entryOrThrow(IdempotencyKeyPath path, StoreLookup<IdempotencyEntry> lookup, String instance) {
        if (lookup instanceof StoreLookup.Found<IdempotencyEntry> found) {
            return entryJson(path, found.value(), instance);
        }
        if (lookup instanceof StoreLookup.NotFound<IdempotencyEntry>) {
            throw StateException.keyMissing("instance " + instance + " owns this key of merchant " + path.merchant()
                    + " and has no entry for it: never seen, or expired and purged");
        }
        if (lookup instanceof StoreLookup.OwnedElsewhere<IdempotencyEntry> elsewhere) {
            throw misdirected(elsewhere.host(), elsewhere.port(), path.path(), "this key", instance);
        }
        StoreLookup.Unavailable<IdempotencyEntry> unavailable = (StoreLookup.Unavailable<IdempotencyEntry>) lookup;
        throw unavailable(KassaTopology.IDEMPOTENCY_KEYS_STORE, unavailable.reason());
    }

    /** The account's activity when this instance has it; otherwise the answer's error. */
    private static ObjectNode activityOrThrow(String account, StoreLookup<SourceActivity> lookup, String instance) {
        if (lookup instanceof StoreLookup.Found<SourceActivity> found) {
            return FraudActivityJson.render(account, found.value(), instance);
        }
        if (lookup instanceof StoreLookup.NotFound<SourceActivity>) {
            throw StateException.resourceMissing("account", "instance " + instance + " owns account " + account
                    + " and remembers no payment from it: none made, or none in the last "
                    + SourceActivity.IDLE_AFTER.toHours() + " hours");
        }
        if (lookup instanceof StoreLookup.OwnedElsewhere<SourceActivity> elsewhere) {
            throw misdirected(elsewhere.host(), elsewhere.port(), FRAUD_PREFIX + account, "account " + account,
                    instance);
        }
        throw unavailable(KassaTopology.FRAUD_ACTIVITY_STORE, ((StoreLookup.Unavailable<SourceActivity>) lookup).reason());
    }

    /** {@code 421}: the instance at {@code host:port} owns {@code what}; {@code path} is the same resource there. */
    private static StateException misdirected(String host, int port, String path, String what, String instance) {
        String owner = "http://" + hostForUrl(host) + ":" + port;
        return StateException.ownedElsewhere(owner, owner + path, "instance " + instance + " does not own " + what
                + "; ask " + owner);
    }

    private static StateException unavailable(String store, String reason) {
        return StateException.unavailable("the " + store + " store cannot answer now; retry: " + reason);
    }

    private static ObjectNode entryJson(IdempotencyKeyPath path, IdempotencyEntry entry, String instance) {
        ObjectNode body = JsonNodeFactory.instance.objectNode()
                .put("object", "idempotency_key")
                .put("merchant", path.merchant())
                .put("idempotency_key", path.key())
                .put("resource_id", entry.resourceId())
                .put("first_seen", Math.floorDiv(entry.firstSeenMs(), 1_000L))
                .put("instance", instance);
        body.put("request_fingerprint", entry.requestFingerprint());
        return body;
    }

    /** An IPv6 literal goes in brackets in a URL. */
    private static String hostForUrl(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static void writeJson(Context ctx, int status, ObjectNode body) {
        ctx.status(status).contentType(StateErrors.JSON).result(body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
