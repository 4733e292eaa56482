package dev.kassa.api.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.api.auth.Merchant;
import dev.kassa.api.error.ApiException;
import dev.kassa.api.error.ErrorCode;
import dev.kassa.api.idempotency.IdempotencyGuard;
import dev.kassa.api.idempotency.IdempotentRequest;
import dev.kassa.api.payments.DepositRequest;
import dev.kassa.api.payments.PageRequest;
import dev.kassa.api.payments.PaymentJson;
import dev.kassa.api.payments.PaymentPage;
import dev.kassa.api.payments.PaymentRequest;
import dev.kassa.api.payments.Payments;
import dev.kassa.api.validation.QueryStrings;
import dev.kassa.api.validation.RequestValidator;
import dev.kassa.model.Payment;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * {@code /v1/payments} and {@code /v1/accounts/{id}/deposits}: parse, validate, one service call, map.
 * Creating a payment or a deposit answers asynchronously: no thread waits for its outcome.
 */
final class PaymentRoutes {

    private final Requests requests;
    private final IdempotencyGuard idempotency;
    private final Payments payments;
    private final Executor work;

    /** @param work where a payment's answer is written once it is known (never the thread that brought it) */
    PaymentRoutes(Requests requests, IdempotencyGuard idempotency, Payments payments, Executor work) {
        this.requests = Objects.requireNonNull(requests, "requests");
        this.idempotency = Objects.requireNonNull(idempotency, "idempotency");
        this.payments = Objects.requireNonNull(payments, "payments");
        this.work = Objects.requireNonNull(work, "work");
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/payments", this::create);
        routes.get("/v1/payments", this::list);
        routes.get("/v1/payments/{id}", this::retrieve);
        routes.post("/v1/accounts/{id}/deposits", this::deposit);
    }

    private void create(Context ctx) {
        Merchant merchant = requests.merchant(ctx);
        String key = requests.idempotencyKey(ctx);
        ObjectNode body = requests.body(ctx);
        PaymentRequest request = RequestValidator.payment(body);
        IdempotentRequest idempotent = Requests.idempotent(merchant.id(), key, ctx, body);
        answerLater(ctx, idempotency.executeAsync(idempotent,
                () -> payments.create(merchant, idempotent, request).thenApply(PaymentRoutes::outcome)));
    }

    private void deposit(Context ctx) {
        Merchant merchant = requests.merchant(ctx);
        String key = requests.idempotencyKey(ctx);
        ObjectNode body = requests.body(ctx);
        DepositRequest request = RequestValidator.deposit(body);
        String accountId = ctx.pathParam("id");
        IdempotentRequest idempotent = Requests.idempotent(merchant.id(), key, ctx, body);
        answerLater(ctx, idempotency.executeAsync(idempotent,
                () -> payments.deposit(merchant, idempotent, accountId, request).thenApply(PaymentRoutes::outcome)));
    }

    /**
     * Hands the request to Javalin as asynchronous: its Jetty thread goes back to the pool now, and the
     * response, or the error the future failed with (mapped as a thrown one would be), is written on
     * {@link #work} once known (docs/architecture.md, "The API's per-request work").
     */
    private void answerLater(Context ctx, CompletableFuture<ApiResponse> response) {
        ctx.future(() -> response.handleAsync((answer, failure) -> {
            if (failure != null) {
                throw failure instanceof CompletionException wrapped ? wrapped : new CompletionException(failure);
            }
            Responses.write(ctx, answer);
            return answer;
        }, work));
    }

    private void retrieve(Context ctx) {
        Merchant merchant = requests.merchant(ctx);
        String paymentId = ctx.pathParam("id");
        Payment payment = payments.find(merchant, paymentId).orElseThrow(() ->
                new ApiException(ErrorCode.RESOURCE_MISSING, "no such payment: " + abbreviate(paymentId), "id"));
        Responses.write(ctx, ApiResponse.json(200, PaymentJson.render(payment)));
    }

    private void list(Context ctx) {
        Merchant merchant = requests.merchant(ctx);
        PageRequest page = RequestValidator.page(QueryStrings.parse(ctx.queryString()));
        Responses.write(ctx, ApiResponse.json(200, listJson(payments.list(merchant, page))));
    }

    /**
     * A payment's outcome as a response: {@code 201} completed, {@code 202} still pending,
     * {@code 402} declined (thrown, so the decline has the error shape); see
     * {@link ApiResponse#paymentOutcome}, which the idempotency guard rebuilds replays with.
     */
    static ApiResponse outcome(Payment payment) {
        return ApiResponse.paymentOutcome(payment);
    }

    static ObjectNode listJson(PaymentPage page) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("object", "list");
        ArrayNode data = json.putArray("data");
        page.data().forEach(payment -> data.add(PaymentJson.render(payment)));
        json.put("has_more", page.hasMore());
        return json;
    }

    private static String abbreviate(String id) {
        return id.length() <= 64 ? id : id.substring(0, 64) + "…";
    }
}
