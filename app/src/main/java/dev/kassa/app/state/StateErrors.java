package dev.kassa.app.state;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the state endpoint's errors become responses, in the API's error shape: every
 * {@link StateException}, Javalin's own 404 and 405, any unexpected exception (logged, {@code 500}),
 * and what Jetty rejects before Javalin sees it ({@link JettyErrors}).
 */
final class StateErrors {

    static final String JSON = "application/json";
    private static final Logger LOG = LoggerFactory.getLogger(StateErrors.class);

    private StateErrors() {
    }

    static void register(JavalinConfig config) {
        config.routes.exception(StateException.class, (error, ctx) -> write(ctx, error));
        config.routes.exception(HttpResponseException.class, (error, ctx) -> write(ctx, fromJavalin(error, ctx)));
        config.routes.exception(Exception.class, (error, ctx) -> {
            LOG.error("unexpected failure of {} {}", ctx.method(), ctx.path(), error);
            write(ctx, StateException.internal());
        });
    }

    /** {@code {"error": {"type", "code", "message", "param"?, "owner"?}}}. */
    static byte[] render(StateException error) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode fields = body.putObject("error");
        fields.put("type", error.type());
        fields.put("code", error.code());
        fields.put("message", error.getMessage());
        if (error.param() != null) {
            fields.put("param", error.param());
        }
        if (error.owner() != null) {
            fields.put("owner", error.owner());
        }
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Context ctx, StateException error) {
        error.headers().forEach(ctx::header);
        ctx.status(error.status()).contentType(JSON).result(render(error));
    }

    private static StateException fromJavalin(HttpResponseException error, Context ctx) {
        String request = ctx.method().name() + " " + ctx.path();
        if (error.getStatus() == 404) {
            return StateException.route(404, "route_not_found", "unrecognized request URL: " + request, Map.of());
        }
        if (error.getStatus() == 405) {
            return StateException.route(405, "method_not_allowed", ctx.method().name() + " is not allowed on "
                    + ctx.path() + "; allowed: GET", Map.of("Allow", "GET"));
        }
        if (error.getStatus() >= 400 && error.getStatus() <= 499) {
            return StateException.malformed(error.getStatus(), "the request cannot be processed: " + error.getMessage());
        }
        LOG.error("the web server failed {}: {}", request, error.getMessage());
        return StateException.internal();
    }

    /**
     * Answers what Jetty rejects itself — a malformed URI, a bad header — in the same shape instead
     * of Jetty's HTML page.
     */
    static final class JettyErrors extends ErrorHandler {

        @Override
        protected void generateResponse(Request request, Response response, int code, String message,
                                        Throwable cause, Callback callback) {
            StateException error = code >= 400 && code <= 499
                    ? StateException.malformed(code, "the request cannot be processed: "
                            + (message == null ? "malformed request" : message))
                    : StateException.internal();
            response.setStatus(error.status());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
            response.write(true, ByteBuffer.wrap(render(error)), callback);
        }
    }
}
