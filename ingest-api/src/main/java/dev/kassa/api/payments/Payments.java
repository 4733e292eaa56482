package dev.kassa.api.payments;

import dev.kassa.api.auth.Merchant;
import dev.kassa.api.idempotency.IdempotentRequest;
import dev.kassa.model.Payment;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the HTTP layer asks of payments: create one (or a deposit) through the topology and report
 * its outcome as far as it is known within the wait, and read them back from the ledger.
 */
public interface Payments {

    /**
     * Publishes a payment and completes with it completed, failed, or still pending when the wait ran
     * out, holding no thread meanwhile; a refusal fails the future with its {@code ApiException}.
     * When the key already names a payment (Postgres, or the topology's dedupe store, remembers it),
     * returns that payment instead, or refuses a request with other parameters
     * ({@code idempotency_key_reused}).
     */
    CompletableFuture<Payment> create(Merchant merchant, IdempotentRequest idempotency, PaymentRequest request);

    /** Publishes a deposit into the merchant's account {@code accountId}; like {@link #create}. */
    CompletableFuture<Payment> deposit(Merchant merchant, IdempotentRequest idempotency, String accountId,
                                       DepositRequest request);

    /** The merchant's payment or deposit {@code paymentId}; empty for another merchant's, as for an unknown id. */
    Optional<Payment> find(Merchant merchant, String paymentId);

    /** One page of the merchant's payments (not deposits), newest first. */
    PaymentPage list(Merchant merchant, PageRequest page);
}
