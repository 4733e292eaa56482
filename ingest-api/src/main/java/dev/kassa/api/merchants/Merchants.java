package dev.kassa.api.merchants;

import java.util.Optional;

/** What the HTTP layer asks of merchants: create one, with its own account. */
public interface Merchants {

    /**
     * @param idempotencyKey the request's {@code Idempotency-Key}, if it sent one; carried in the
     *                       command that opens the merchant's account
     */
    MerchantCreation create(MerchantRequest request, Optional<String> idempotencyKey);
}
