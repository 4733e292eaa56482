package dev.kassa.api.error;

/**
 * Every error code the ingest API answers with, with its HTTP status and error type. Clients switch
 * on these codes, so they are stable: add new ones, never rename one. Payment declines carry the
 * topology's {@link dev.kassa.model.DeclineCode} instead (see {@link PaymentDeclinedException}).
 */
public enum ErrorCode {
    // 400: the request is malformed; nothing was executed, so the client may fix it and retry with the same key.
    INVALID_JSON(400, ErrorType.INVALID_REQUEST_ERROR, "invalid_json"),
    UNKNOWN_PARAMETER(400, ErrorType.INVALID_REQUEST_ERROR, "unknown_parameter"),
    PARAMETER_MISSING(400, ErrorType.INVALID_REQUEST_ERROR, "parameter_missing"),
    PARAMETER_INVALID(400, ErrorType.INVALID_REQUEST_ERROR, "parameter_invalid"),
    AMOUNT_INVALID(400, ErrorType.INVALID_REQUEST_ERROR, "amount_invalid"),
    CURRENCY_INVALID(400, ErrorType.INVALID_REQUEST_ERROR, "currency_invalid"),
    METADATA_INVALID(400, ErrorType.INVALID_REQUEST_ERROR, "metadata_invalid"),
    IDEMPOTENCY_KEY_MISSING(400, ErrorType.INVALID_REQUEST_ERROR, "idempotency_key_missing"),
    IDEMPOTENCY_KEY_INVALID(400, ErrorType.INVALID_REQUEST_ERROR, "idempotency_key_invalid"),
    // 400: a card payment the card processor would refuse for good (docs/api.md, Card payments).
    CARD_TOKEN_UNKNOWN(400, ErrorType.INVALID_REQUEST_ERROR, "card_token_unknown"),
    CURRENCY_NOT_SUPPORTED(400, ErrorType.INVALID_REQUEST_ERROR, "currency_not_supported"),
    // 400: a refund of a payment that is not completed (pending, failed) or is a deposit; nothing was published.
    PAYMENT_NOT_REFUNDABLE(400, ErrorType.INVALID_REQUEST_ERROR, "payment_not_refundable"),
    // 400/409: an idempotency key that names another request, or one still in flight.
    IDEMPOTENCY_KEY_REUSED(400, ErrorType.IDEMPOTENCY_ERROR, "idempotency_key_reused"),
    IDEMPOTENCY_KEY_IN_USE(409, ErrorType.IDEMPOTENCY_ERROR, "idempotency_key_in_use"),
    // 401: no or wrong credentials.
    API_KEY_MISSING(401, ErrorType.AUTHENTICATION_ERROR, "api_key_missing"),
    API_KEY_INVALID(401, ErrorType.AUTHENTICATION_ERROR, "api_key_invalid"),
    // 404/405/413/415: the request does not fit the API's surface.
    RESOURCE_MISSING(404, ErrorType.INVALID_REQUEST_ERROR, "resource_missing"),
    ROUTE_NOT_FOUND(404, ErrorType.INVALID_REQUEST_ERROR, "route_not_found"),
    METHOD_NOT_ALLOWED(405, ErrorType.INVALID_REQUEST_ERROR, "method_not_allowed"),
    REQUEST_TIMEOUT(408, ErrorType.INVALID_REQUEST_ERROR, "request_timeout"),
    REQUEST_TOO_LARGE(413, ErrorType.INVALID_REQUEST_ERROR, "request_too_large"),
    UNSUPPORTED_MEDIA_TYPE(415, ErrorType.INVALID_REQUEST_ERROR, "unsupported_media_type"),
    RATE_LIMITED(429, ErrorType.RATE_LIMIT_ERROR, "rate_limited"),
    // 5xx: our own faults only.
    INTERNAL_ERROR(500, ErrorType.API_ERROR, "internal_error"),
    SERVICE_UNAVAILABLE(503, ErrorType.API_ERROR, "service_unavailable");

    private final int status;
    private final ErrorType type;
    private final String code;

    ErrorCode(int status, ErrorType type, String code) {
        this.status = status;
        this.type = type;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public ErrorType type() {
        return type;
    }

    /** The wire name, e.g. {@code amount_invalid}. */
    public String code() {
        return code;
    }
}
