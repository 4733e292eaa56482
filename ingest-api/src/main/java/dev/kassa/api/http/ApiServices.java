package dev.kassa.api.http;

import dev.kassa.api.accounts.Accounts;
import dev.kassa.api.auth.Authenticator;
import dev.kassa.api.health.Readiness;
import dev.kassa.api.idempotency.IdempotencyGuard;
import dev.kassa.api.merchants.Merchants;
import dev.kassa.api.payments.Payments;
import dev.kassa.api.refunds.Refunds;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Everything the HTTP layer calls: one service per area, plus authentication, idempotency and metrics,
 * and {@code work}, where a request that waited without a thread (a payment) is answered.
 */
public record ApiServices(
        Authenticator authenticator,
        IdempotencyGuard idempotency,
        Payments payments,
        Refunds refunds,
        Accounts accounts,
        Merchants merchants,
        Readiness readiness,
        PrometheusMeterRegistry metrics,
        Executor work) {

    public ApiServices {
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(idempotency, "idempotency");
        Objects.requireNonNull(payments, "payments");
        Objects.requireNonNull(refunds, "refunds");
        Objects.requireNonNull(accounts, "accounts");
        Objects.requireNonNull(merchants, "merchants");
        Objects.requireNonNull(readiness, "readiness");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(work, "work");
    }
}
