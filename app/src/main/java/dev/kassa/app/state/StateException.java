package dev.kassa.app.state;

import java.util.Map;
import java.util.Objects;

/**
 * An answer of the state endpoint other than 200, thrown by any code of this package and written in
 * the API's one error shape {@code {"error": {"type", "code", "message", "param"?, "owner"?}}} by the
 * single handler {@link StateServer} registers. Handlers never catch it.
 */
final class StateException extends RuntimeException {

    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private final String owner;
    private final Map<String, String> headers;

    private StateException(int status, String type, String code, String message, String param, String owner,
                           Map<String, String> headers) {
        super(Objects.requireNonNull(message, "message"));
        this.status = status;
        this.type = Objects.requireNonNull(type, "type");
        this.code = Objects.requireNonNull(code, "code");
        this.param = param;
        this.owner = owner;
        this.headers = Map.copyOf(headers);
    }

    /** {@code 400 parameter_invalid}: the path segment {@code param} is malformed. */
    static StateException parameterInvalid(String param, String message) {
        return new StateException(400, "invalid_request_error", "parameter_invalid", message, param, null, Map.of());
    }

    /** {@code 401 unauthenticated}: the admin token is missing or wrong. */
    static StateException unauthenticated(String message) {
        return new StateException(401, "authentication_error", "unauthenticated", message, null, null,
                Map.of("WWW-Authenticate", "Bearer"));
    }

    /** {@code 404 resource_missing}: this instance owns the key and does not have it. */
    static StateException keyMissing(String message) {
        return resourceMissing("key", message);
    }

    /** {@code 404 resource_missing}: this instance owns what path segment {@code param} names and has nothing for it. */
    static StateException resourceMissing(String param, String message) {
        return new StateException(404, "invalid_request_error", "resource_missing", message, param, null, Map.of());
    }

    /** {@code 404 route_not_found} or {@code 405 method_not_allowed}, as Javalin found the route. */
    static StateException route(int status, String code, String message, Map<String, String> headers) {
        return new StateException(status, "invalid_request_error", code, message, null, null, headers);
    }

    /** {@code 400 invalid_request}: a request the web server could not parse at all. */
    static StateException malformed(int status, String message) {
        return new StateException(status, "invalid_request_error", "invalid_request", message, null, null, Map.of());
    }

    /**
     * {@code 421 key_owned_elsewhere}: another instance owns the key; {@code ownerUrl} is its state
     * endpoint and {@code resourceUrl} the same resource there, sent as {@code Location}.
     */
    static StateException ownedElsewhere(String ownerUrl, String resourceUrl, String message) {
        return new StateException(421, "state_error", "key_owned_elsewhere", message, null, ownerUrl,
                Map.of("Location", resourceUrl));
    }

    /** {@code 503 state_unavailable}: nobody can answer now; a retry a second later may succeed. */
    static StateException unavailable(String message) {
        return new StateException(503, "state_error", "state_unavailable", message, null, null,
                Map.of("Retry-After", "1"));
    }

    /** {@code 500 internal_error}: a fault of this instance, never of the request. */
    static StateException internal() {
        return new StateException(500, "api_error", "internal_error", "an internal error occurred; it has been logged",
                null, null, Map.of());
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }

    String code() {
        return code;
    }

    /** The path parameter at fault, or null. */
    String param() {
        return param;
    }

    /** The URL of the instance that owns the key, or null. */
    String owner() {
        return owner;
    }

    /** Headers to send with the error: {@code Location}, {@code Retry-After}, {@code WWW-Authenticate}. */
    Map<String, String> headers() {
        return headers;
    }
}
