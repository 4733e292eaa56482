package dev.kassa.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.api.idempotency.IdempotencyGuard;
import dev.kassa.api.merchants.MerchantCreation;
import dev.kassa.api.merchants.MerchantJson;
import dev.kassa.api.merchants.MerchantRequest;
import dev.kassa.api.merchants.Merchants;
import dev.kassa.api.validation.RequestValidator;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/** {@code /admin}: administrator operations behind the admin token; an idempotency key is honoured, not required. */
final class AdminRoutes {

    private final Requests requests;
    private final IdempotencyGuard idempotency;
    private final Merchants merchants;

    AdminRoutes(Requests requests, IdempotencyGuard idempotency, Merchants merchants) {
        this.requests = Objects.requireNonNull(requests, "requests");
        this.idempotency = Objects.requireNonNull(idempotency, "idempotency");
        this.merchants = Objects.requireNonNull(merchants, "merchants");
    }

    void register(RoutesConfig routes) {
        routes.post("/admin/merchants", this::createMerchant);
    }

    private void createMerchant(Context ctx) {
        requests.admin(ctx);
        Optional<String> key = requests.optionalIdempotencyKey(ctx);
        ObjectNode body = requests.body(ctx);
        MerchantRequest request = RequestValidator.merchant(body);
        Supplier<ApiResponse> execution = () -> created(merchants.create(request, key));
        Responses.write(ctx, key.isPresent()
                ? idempotency.execute(Requests.idempotent(Requests.ADMIN_SCOPE, key.get(), ctx, body), execution)
                : execution.get());
    }

    /**
     * {@code 201}; {@code 202} when the merchant's own account is still being opened. The secret key is
     * shown in this answer only: a retry with the same key gets the merchant without it.
     */
    static ApiResponse created(MerchantCreation creation) {
        return ApiResponse.json(creation.accountConfirmed() ? 201 : 202, MerchantJson.render(creation))
                .withReplay(MerchantJson.renderWithoutSecret(creation));
    }
}
