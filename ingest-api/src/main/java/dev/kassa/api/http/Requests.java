package dev.kassa.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.api.auth.Authenticator;
import dev.kassa.api.auth.Merchant;
import dev.kassa.api.error.ApiException;
import dev.kassa.api.idempotency.IdempotentRequest;
import dev.kassa.api.idempotency.RequestFingerprints;
import dev.kassa.api.limits.Throttle;
import dev.kassa.api.validation.IdempotencyKeys;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/** Reads the parts of a request every handler needs: who calls, its idempotency key, its JSON body. */
final class Requests {

    /** The idempotency scope of administrator requests. */
    static final String ADMIN_SCOPE = "admin";

    /** The request's {@link Throttle.Permit}, closed by {@link #release(Context)} whatever the request came to. */
    private static final String PERMIT = "kassa.throttle.permit";

    private final Authenticator authenticator;
    private final RequestBodies bodies;
    private final Throttle throttle;

    Requests(Authenticator authenticator, RequestBodies bodies, Throttle throttle) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.bodies = Objects.requireNonNull(bodies, "bodies");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
    }

    /**
     * The calling merchant, within its rate limits (docs/api.md, Rate limits): an address that has
     * failed authentication too often is refused before its key is looked up; a merchant over its rate
     * is refused; a {@code POST} counts against the merchant's requests executing at once until
     * {@link #release(Context)}.
     */
    Merchant merchant(Context ctx) {
        Merchant merchant = authenticated(ctx, () -> authenticator.merchant(ctx.header("Authorization")));
        throttle.merchant(merchant.id());
        if (ctx.method() == HandlerType.POST) {
            ctx.attribute(PERMIT, throttle.enter(merchant.id()));
        }
        return merchant;
    }

    void admin(Context ctx) {
        authenticated(ctx, () -> {
            authenticator.admin(ctx.header("Authorization"));
            return null;
        });
    }

    /** Counts the request against its client address's rate (every {@code /v1} and {@code /admin} request). */
    void limitAddress(Context ctx) {
        throttle.address(ctx.ip());
    }

    /** Ends the request's count against its merchant's requests executing at once, if it had one. */
    static void release(Context ctx) {
        Throttle.Permit permit = ctx.attribute(PERMIT);
        if (permit != null) {
            ctx.attribute(PERMIT, null);
            permit.close();
        }
    }

    private <T> T authenticated(Context ctx, Supplier<T> authentication) {
        String address = ctx.ip();
        throttle.beforeAuthentication(address);
        try {
            return authentication.get();
        } catch (ApiException e) {
            if (e.status() == 401) {
                throttle.authenticationFailed(address);
            }
            throw e;
        }
    }

    String idempotencyKey(Context ctx) {
        return IdempotencyKeys.required(idempotencyHeaders(ctx));
    }

    Optional<String> optionalIdempotencyKey(Context ctx) {
        return IdempotencyKeys.optional(idempotencyHeaders(ctx));
    }

    ObjectNode body(Context ctx) {
        return bodies.readObject(ctx);
    }

    static IdempotentRequest idempotent(String scope, String key, Context ctx, ObjectNode body) {
        return new IdempotentRequest(scope, key, RequestFingerprints.of(ctx.method().name(), ctx.path(), body));
    }

    private static List<String> idempotencyHeaders(Context ctx) {
        return Collections.list(ctx.req().getHeaders(IdempotencyKeys.HEADER));
    }
}
