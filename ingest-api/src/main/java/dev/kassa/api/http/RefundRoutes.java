package dev.kassa.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.api.auth.Merchant;
import dev.kassa.api.error.ApiException;
import dev.kassa.api.error.ErrorCode;
import dev.kassa.api.error.RefundDeclinedException;
import dev.kassa.api.idempotency.IdempotencyGuard;
import dev.kassa.api.idempotency.IdempotentRequest;
import dev.kassa.api.refunds.RefundJson;
import dev.kassa.api.refunds.RefundRequest;
import dev.kassa.api.refunds.Refunds;
import dev.kassa.api.validation.RequestValidator;
import dev.kassa.model.Refund;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Objects;

/** {@code /v1/payments/{id}/refunds} and {@code /v1/refunds/{id}}: parse, validate, one service call, map. */
final class RefundRoutes {

    private final Requests requests;
    private final IdempotencyGuard idempotency;
    private final Refunds refunds;

    RefundRoutes(Requests requests, IdempotencyGuard idempotency, Refunds refunds) {
        this.requests = Objects.requireNonNull(requests, "requests");
        this.idempotency = Objects.requireNonNull(idempotency, "idempotency");
        this.refunds = Objects.requireNonNull(refunds, "refunds");
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/payments/{id}/refunds", this::create);
        routes.get("/v1/payments/{id}/refunds", this::list);
        routes.get("/v1/refunds/{id}", this::retrieve);
    }

    private void create(Context ctx) {
        Merchant merchant = requests.merchant(ctx);
        String key = requests.idempotencyKey(ctx);
        ObjectNode body = requests.body(ctx);
        RefundRequest request = RequestValidator.refund(body);
        String paymentId = ctx.pathParam("id");
        IdempotentRequest idempotent = Requests.idempotent(merchant.id(), key, ctx, body);
        Responses.write(ctx, idempotency.execute(idempotent,
                () -> outcome(refunds.create(merchant, idempotent, paymentId, request))));
    }

    private void list(Context ctx) {
        Merchant merchant = requests.merchant(ctx);
        Responses.write(ctx, ApiResponse.json(200, RefundJson.render(refunds.list(merchant, ctx.pathParam("id")))));
    }

    private void retrieve(Context ctx) {
        Merchant merchant = requests.merchant(ctx);
        String refundId = ctx.pathParam("id");
        Refund refund = refunds.find(merchant, refundId).orElseThrow(() -> new ApiException(ErrorCode.RESOURCE_MISSING,
                "no such refund: " + (refundId.length() <= 64 ? refundId : refundId.substring(0, 64) + "…"), "id"));
        Responses.write(ctx, ApiResponse.json(200, RefundJson.render(refund)));
    }

    /**
     * A refund's outcome as a response, like a payment's: {@code 201} completed, {@code 202} still
     * pending, {@code 402} declined (thrown, so the decline has the error shape and carries the refund).
     */
    static ApiResponse outcome(Refund refund) {
        return switch (refund.status()) {
            case PENDING -> ApiResponse.json(202, RefundJson.render(refund));
            case COMPLETED -> ApiResponse.json(201, RefundJson.render(refund));
            case FAILED -> throw new RefundDeclinedException(refund.failureCode(), RefundJson.render(refund));
        };
    }
}
