package dev.kassa.api.auth;

/**
 * Checks the {@code Authorization} header of a request. Both methods throw
 * {@link dev.kassa.api.error.ApiException} ({@code 401}) rather than return a failure, so a handler
 * reads as one line.
 */
public interface Authenticator {

    /** The merchant whose secret key the header carries ({@code Bearer sk_…}). */
    Merchant merchant(String authorizationHeader);

    /** Checks that the header carries the admin token ({@code Bearer <token>}). */
    void admin(String authorizationHeader);
}
