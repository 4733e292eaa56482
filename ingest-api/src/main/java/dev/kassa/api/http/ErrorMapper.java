package dev.kassa.api.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.api.error.ApiException;
import dev.kassa.api.error.RateLimitedException;
import dev.kassa.api.error.ErrorCode;
import dev.kassa.api.error.ErrorType;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where errors become responses: every {@link ApiException} thrown anywhere, Javalin's
 * own 404/405/413, and any unexpected exception (logged, answered {@code 500 api_error}) are written
 * in the single shape {@code {"error": {"type", "code", "message", "param"?}}}. Handlers never catch.
 */
public final class ErrorMapper {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);
    public static final String JSON = "application/json";

    private ErrorMapper() {
    }

    /** Registers the exception handlers on {@code routes}. */
    public static void register(RoutesConfig routes) {
        routes.exception(ApiException.class, (error, ctx) -> write(ctx, error));
        routes.exception(RateLimitedException.class, (error, ctx) -> {
            ctx.header("Retry-After", Long.toString(error.retryAfterSeconds()));
            write(ctx, error);
        });
        routes.exception(HttpResponseException.class, (error, ctx) -> write(ctx, fromJavalin(error, ctx)));
        routes.exception(Exception.class, (error, ctx) -> {
            LOG.error("unexpected failure of {} {}", ctx.method(), ctx.path(), error);
            write(ctx, internal());
        });
    }

    /** Answers a {@link java.lang.Error} (which Javalin does not route to exception handlers) in the same shape. */
    public static void handleError(HttpServletResponse response, Error error) {
        LOG.error("unexpected error", error);
        try {
            ApiResponse body = render(internal());
            response.setStatus(body.status());
            response.setContentType(JSON);
            response.getOutputStream().write(body.body());
        } catch (IOException | IllegalStateException e) {
            LOG.warn("cannot write the error response: {}", e.toString());
        }
    }

    /** The error as a finished response: status and body. */
    public static ApiResponse render(ApiException error) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode fields = body.putObject("error");
        fields.put("type", error.type().wireName());
        fields.put("code", error.code());
        fields.put("message", error.getMessage());
        if (error.param() != null) {
            fields.put("param", error.param());
        }
        error.addDetails(fields);
        return ApiResponse.json(error.status(), body);
    }

    private static void write(Context ctx, ApiException error) {
        Responses.write(ctx, render(error));
    }

    private static ApiException fromJavalin(HttpResponseException error, Context ctx) {
        String request = ctx.method().name() + " " + ctx.path();
        return switch (error.getStatus()) {
            case 404 -> new ApiException(ErrorCode.ROUTE_NOT_FOUND, "unrecognized request URL: " + request);
            case 405 -> methodNotAllowed(error, ctx, request);
            case 413 -> new ApiException(ErrorCode.REQUEST_TOO_LARGE, "the request body is too large");
            case 415 -> new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send application/json");
            default -> javalinError(error, request);
        };
    }

    private static ApiException methodNotAllowed(HttpResponseException error, Context ctx, String request) {
        String allowed = allowedMethods(error.getDetails());
        if (!allowed.isEmpty()) {
            ctx.header("Allow", allowed);
        }
        return new ApiException(ErrorCode.METHOD_NOT_ALLOWED, ctx.method().name() + " is not allowed on " + ctx.path()
                + (allowed.isEmpty() ? "" : "; allowed: " + allowed));
    }

    private static String allowedMethods(Map<String, String> details) {
        String methods = details == null ? null : details.get("availableMethods");
        return methods == null ? "" : methods.replace("[", "").replace("]", "");
    }

    private static ApiException javalinError(HttpResponseException error, String request) {
        if (error.getStatus() >= 500) {
            LOG.error("the web server failed {}: {}", request, error.getMessage());
            return internal();
        }
        // Javalin raises few other errors itself; keep their status, in our shape.
        return ApiException.clientError(error.getStatus(), "invalid_request",
                "the request cannot be processed: " + error.getMessage());
    }

    private static ApiException internal() {
        return new ApiException(ErrorCode.INTERNAL_ERROR, "an internal error occurred; it has been logged");
    }
}
