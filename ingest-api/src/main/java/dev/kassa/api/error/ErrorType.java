package dev.kassa.api.error;

/** The {@code type} of an API error, as listed in docs/api.md; each belongs to a small set of statuses. */
public enum ErrorType {
    AUTHENTICATION_ERROR("authentication_error"),
    INVALID_REQUEST_ERROR("invalid_request_error"),
    IDEMPOTENCY_ERROR("idempotency_error"),
    PAYMENT_ERROR("payment_error"),
    RATE_LIMIT_ERROR("rate_limit_error"),
    API_ERROR("api_error");

    private final String wireName;

    ErrorType(String wireName) {
        this.wireName = wireName;
    }

    /** The name written in the error body, e.g. {@code invalid_request_error}. */
    public String wireName() {
        return wireName;
    }
}
