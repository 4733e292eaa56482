package dev.kassa.api.http;

import io.javalin.http.Context;

/** Writes finished responses to the wire. */
final class Responses {

    private Responses() {
    }

    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    static void write(Context ctx, ApiResponse response) {
        if (response.replayed()) {
            ctx.header(REPLAYED_HEADER, "true");
        }
        ctx.status(response.status());
        ctx.contentType(ErrorMapper.JSON);
        ctx.result(response.body());
    }
}
