package dev.kassa.api.http;

import io.javalin.http.Context;

/** Writes finished responses to the wire. */
final class Responses {

    private Responses() {
    }

    static void write(Context ctx, ApiResponse response) {
        ctx.status(response.status());
        ctx.contentType(ErrorMapper.JSON);
        ctx.result(response.body());
    }
}
