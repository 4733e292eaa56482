package dev.kassa.api.error;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * An error answered to the client in the one error shape
 * {@code {"error": {"type", "code", "message", "param"?}}}. Code anywhere in the API throws it; a
 * single exception handler ({@code dev.kassa.api.http.ErrorMapper}) renders it, so no handler
 * catches errors itself.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final ErrorType type;
    private final String code;
    private final String param;

    public ApiException(ErrorCode code, String message) {
        this(code, message, (String) null);
    }

    public ApiException(ErrorCode code, String message, String param) {
        this(code.status(), code.type(), code.code(), message, param, null);
    }

    public ApiException(ErrorCode code, String message, Throwable cause) {
        this(code.status(), code.type(), code.code(), message, null, cause);
    }

    protected ApiException(int status, ErrorType type, String code, String message, String param, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an API error needs a 4xx or 5xx status: " + status);
        }
        this.status = status;
        this.type = Objects.requireNonNull(type, "type");
        this.code = Objects.requireNonNull(code, "code");
        this.param = param;
    }

    /**
     * An {@code invalid_request_error} with a 4xx status that has no {@link ErrorCode} of its own;
     * only for statuses raised by the web server itself.
     */
    public static ApiException clientError(int status, String code, String message) {
        if (status < 400 || status > 499) {
            throw new IllegalArgumentException("not a client error status: " + status);
        }
        return new ApiException(status, ErrorType.INVALID_REQUEST_ERROR, code, message, null, null);
    }

    public int status() {
        return status;
    }

    public ErrorType type() {
        return type;
    }

    public String code() {
        return code;
    }

    /** The request parameter at fault, or null when the error is not about one parameter. */
    public String param() {
        return param;
    }

    /** Adds fields beyond type, code, message and param to the rendered {@code error} object. */
    public void addDetails(ObjectNode error) {
        // Most errors have no details.
    }
}
