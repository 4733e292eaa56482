package dev.kassa.processor.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.processor.ProcessorJson;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's HTTP API (docs/processor-sim.md): routes, bearer authentication, fault injection and the
 * one error shape {@code {"error": {"code", "message"}}}. Handlers parse, call the {@link ChargeBook} and
 * answer through {@link #answer}, where the after-commit faults (dropped connection, timeout) happen.
 */
final class SandboxServer {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxServer.class);
    private static final String JSON = "application/json";
    private static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final long BODY_BYTES_MAX = 64 * 1024;

    private final SandboxSettings settings;
    private final ChargeBook book;
    private final AtomicReference<Faults> faults;
    private final FaultDice dice;

    private SandboxServer(SandboxSettings settings, ChargeBook book, AtomicReference<Faults> faults, FaultDice dice) {
        this.settings = settings;
        this.book = book;
        this.faults = faults;
        this.dice = dice;
    }

    static Javalin create(SandboxSettings settings, ChargeBook book, AtomicReference<Faults> faults, FaultDice dice) {
        SandboxServer server = new SandboxServer(settings, book, faults, dice);
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.http.maxRequestSize = BODY_BYTES_MAX;
            config.http.defaultContentType = JSON;
            server.register(config);
        });
    }

    private void register(JavalinConfig config) {
        config.routes.exception(SandboxException.class, (error, ctx) -> writeError(ctx, error));
        config.routes.exception(HttpResponseException.class, (error, ctx) -> writeError(ctx, fromJavalin(error, ctx)));
        config.routes.exception(Exception.class, (error, ctx) -> {
            LOG.error("unexpected failure of {} {}", ctx.method(), ctx.path(), error);
            writeError(ctx, new SandboxException(500, "processor_error", "an internal error occurred; it has been logged"));
        });
        config.routes.before("/v1/*", this::beforeApi);
        config.routes.before("/admin/*", ctx -> requireBearer(ctx, settings.adminToken(), "admin token"));
        config.routes.get("/health", ctx -> ctx.contentType(JSON).result("{\"status\":\"ok\"}"));
        config.routes.post("/v1/charges", this::createCharge);
        config.routes.get("/v1/charges", this::listCharges);
        config.routes.get("/v1/charges/{id}", this::retrieveCharge);
        config.routes.post("/v1/charges/{id}/refunds", this::createRefund);
        config.routes.get("/v1/settlements/{file}", this::settlement);
        config.routes.get("/admin/faults", ctx -> ctx.contentType(JSON).result(faults.get().toJson().toString()));
        config.routes.put("/admin/faults", this::replaceFaults);
    }

    /** Authentication, then the before-acting faults: added latency, and 5xx answers that do nothing. */
    private void beforeApi(Context ctx) throws InterruptedException {
        requireBearer(ctx, settings.apiKey(), "API key");
        Faults now = faults.get();
        if (now.latencyMs() > 0) {
            Thread.sleep(now.latencyMs());
        }
        if (dice.roll(now.errorRate())) {
            int status = dice.serverErrorStatus();
            throw new SandboxException(status, status == 503 ? "service_unavailable" : "processor_error",
                    "injected fault (error_rate): nothing was done");
        }
    }

    private void createCharge(Context ctx) throws InterruptedException {
        String key = ChargeValidation.idempotencyKey(ctx.header(ChargeValidation.IDEMPOTENCY_HEADER));
        ChargeBook.Answer answer = book.createCharge(key, ChargeValidation.charge(ctx.bodyAsBytes()));
        answer(ctx, answer.status(), answer.resource(), answer.replayed(), !answer.replayed());
    }

    private void createRefund(Context ctx) throws InterruptedException {
        String key = ChargeValidation.idempotencyKey(ctx.header(ChargeValidation.IDEMPOTENCY_HEADER));
        ChargeBook.Answer answer = book.refund(key, ctx.pathParam("id"), ChargeValidation.refundAmount(ctx.bodyAsBytes()));
        answer(ctx, answer.status(), answer.resource(), answer.replayed(), !answer.replayed());
    }

    private void retrieveCharge(Context ctx) throws InterruptedException {
        String id = ctx.pathParam("id");
        answer(ctx, 200, book.charge(id).orElseThrow(() -> ChargeBook.notFound(id)), false, false);
    }

    private void listCharges(Context ctx) throws InterruptedException {
        String reference = ctx.queryParam("reference");
        if (reference == null || reference.isBlank()) {
            throw SandboxException.badRequest("parameter_missing", "the query parameter reference is required");
        }
        answer(ctx, 200, Map.of("object", "list", "data", book.chargesByReference(reference)), false, false);
    }

    private void settlement(Context ctx) throws InterruptedException {
        String file = ctx.pathParam("file");
        LocalDate day;
        try {
            day = LocalDate.parse(file.endsWith(".csv") ? file.substring(0, file.length() - 4) : file);
        } catch (DateTimeParseException e) {
            throw SandboxException.badRequest("invalid_date", "date must be YYYY-MM-DD followed by .csv; got " + file);
        }
        if (!file.endsWith(".csv")) {
            throw SandboxException.badRequest("invalid_date", "date must be followed by .csv; got " + file);
        }
        Faults now = faults.get();
        String csv = SettlementReport.csv(day, book.charges(), book.refunds(), now.settlementMissing(), now.settlementDuplicate(),
                now.settlementMisstated());
        delayIfTimedOut(now);
        ctx.status(200).contentType("text/csv; charset=utf-8").result(csv);
    }

    private void replaceFaults(Context ctx) {
        JsonNode body;
        try {
            body = ProcessorJson.mapper().readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            throw SandboxException.badRequest("invalid_json", "the body is not valid JSON");
        }
        Faults replaced = Faults.fromJson(body);
        faults.set(replaced);
        LOG.info("fault settings replaced: {}", replaced.toJson());
        ctx.contentType(JSON).result(replaced.toJson().toString());
    }

    /**
     * Answers a {@code /v1} request, after its work is done and durable: a new creation may instead have
     * its connection dropped (drop_after_commit_rate), and any answer may be held for timeout_ms (timeout_rate).
     */
    private void answer(Context ctx, int status, Object body, boolean replayed, boolean created) throws InterruptedException {
        Faults now = faults.get();
        if (created && dice.roll(now.dropAfterCommitRate())) {
            LOG.info("injected fault (drop_after_commit_rate): {} {} was made and stored; dropping the connection",
                    ctx.method(), ctx.path());
            ServletContextRequest.getServletContextRequest(ctx.req()).getConnectionMetaData().getConnection()
                    .getEndPoint().close();
            return;
        }
        delayIfTimedOut(now);
        if (replayed) {
            ctx.header(REPLAYED_HEADER, "true");
        }
        ctx.status(status).contentType(JSON).result(json(body));
    }

    private void delayIfTimedOut(Faults now) throws InterruptedException {
        if (dice.roll(now.timeoutRate())) {
            Thread.sleep(now.timeoutMs());
        }
    }

    private static void requireBearer(Context ctx, String expected, String what) {
        String header = ctx.header("Authorization");
        String presented = header != null && header.startsWith("Bearer ") ? header.substring("Bearer ".length()) : "";
        if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
            throw new SandboxException(401, "unauthorized", "send Authorization: Bearer <" + what + ">");
        }
    }

    private static void writeError(Context ctx, SandboxException error) {
        ObjectNode body = ProcessorJson.mapper().createObjectNode();
        ObjectNode fields = body.putObject("error");
        fields.put("code", error.code());
        fields.put("message", error.getMessage());
        ctx.status(error.status()).contentType(JSON).result(body.toString());
    }

    private static SandboxException fromJavalin(HttpResponseException error, Context ctx) {
        String request = ctx.method().name() + " " + ctx.path();
        return switch (error.getStatus()) {
            case 404 -> new SandboxException(404, "route_not_found", "unrecognized request URL: " + request);
            case 405 -> new SandboxException(405, "method_not_allowed", ctx.method().name() + " is not allowed on " + ctx.path());
            case 413 -> new SandboxException(413, "request_too_large", "the body is over " + BODY_BYTES_MAX + " bytes");
            default -> new SandboxException(error.getStatus() >= 500 ? 500 : error.getStatus(), "invalid_request",
                    "the request cannot be processed: " + error.getMessage());
        };
    }

    private static String json(Object body) {
        try {
            return ProcessorJson.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
