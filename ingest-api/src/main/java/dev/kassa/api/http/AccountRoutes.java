package dev.kassa.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.api.accounts.AccountJson;
import dev.kassa.api.accounts.AccountOpening;
import dev.kassa.api.accounts.AccountRequest;
import dev.kassa.api.accounts.AccountView;
import dev.kassa.api.accounts.Accounts;
import dev.kassa.api.auth.Merchant;
import dev.kassa.api.error.ApiException;
import dev.kassa.api.error.ErrorCode;
import dev.kassa.api.idempotency.IdempotencyGuard;
import dev.kassa.api.idempotency.IdempotentRequest;
import dev.kassa.api.validation.RequestValidator;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Objects;

/** {@code /v1/accounts}: open an account, read its balance. */
final class AccountRoutes {

    private final Requests requests;
    private final IdempotencyGuard idempotency;
    private final Accounts accounts;

    AccountRoutes(Requests requests, IdempotencyGuard idempotency, Accounts accounts) {
        this.requests = Objects.requireNonNull(requests, "requests");
        this.idempotency = Objects.requireNonNull(idempotency, "idempotency");
        this.accounts = Objects.requireNonNull(accounts, "accounts");
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/accounts", this::open);
        routes.get("/v1/accounts/{id}", this::retrieve);
    }

    private void open(Context ctx) {
        Merchant merchant = requests.merchant(ctx);
        String key = requests.idempotencyKey(ctx);
        ObjectNode body = requests.body(ctx);
        AccountRequest request = RequestValidator.account(body);
        IdempotentRequest idempotent = Requests.idempotent(merchant.id(), key, ctx, body);
        Responses.write(ctx, idempotency.execute(idempotent, () -> opened(accounts.open(merchant, idempotent, request))));
    }

    private void retrieve(Context ctx) {
        Merchant merchant = requests.merchant(ctx);
        String accountId = ctx.pathParam("id");
        AccountView account = accounts.find(merchant, accountId).orElseThrow(() -> new ApiException(
                ErrorCode.RESOURCE_MISSING, "no such account: " + abbreviate(accountId), "id"));
        Responses.write(ctx, ApiResponse.json(200, AccountJson.render(account)));
    }

    /** {@code 201} once the topology confirmed the account, {@code 202} while its opening is under way. */
    static ApiResponse opened(AccountOpening opening) {
        return ApiResponse.json(opening.confirmed() ? 201 : 202, AccountJson.render(opening.account()));
    }

    private static String abbreviate(String id) {
        return id.length() <= 64 ? id : id.substring(0, 64) + "…";
    }
}
