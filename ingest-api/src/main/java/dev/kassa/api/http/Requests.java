package dev.kassa.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.api.auth.Authenticator;
import dev.kassa.api.auth.Merchant;
import dev.kassa.api.idempotency.IdempotentRequest;
import dev.kassa.api.idempotency.RequestFingerprints;
import dev.kassa.api.validation.IdempotencyKeys;
import io.javalin.http.Context;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Reads the parts of a request every handler needs: who calls, its idempotency key, its JSON body. */
final class Requests {

    /** The idempotency scope of administrator requests. */
    static final String ADMIN_SCOPE = "admin";

    private final Authenticator authenticator;
    private final RequestBodies bodies;

    Requests(Authenticator authenticator, RequestBodies bodies) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.bodies = Objects.requireNonNull(bodies, "bodies");
    }

    Merchant merchant(Context ctx) {
        return authenticator.merchant(ctx.header("Authorization"));
    }

    void admin(Context ctx) {
        authenticator.admin(ctx.header("Authorization"));
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
