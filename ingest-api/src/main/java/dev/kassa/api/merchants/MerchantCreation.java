package dev.kassa.api.merchants;

import dev.kassa.api.auth.Merchant;
import java.util.Objects;

/**
 * A newly created merchant with its secret key (shown this once, never stored) and whether the
 * topology confirmed its own account within the wait.
 */
public record MerchantCreation(Merchant merchant, String secretKey, boolean accountConfirmed) {

    public MerchantCreation {
        Objects.requireNonNull(merchant, "merchant");
        Objects.requireNonNull(secretKey, "secretKey");
    }

    @Override
    public String toString() {
        return "MerchantCreation[merchant=" + merchant + ", secretKey=<redacted>, accountConfirmed=" + accountConfirmed + "]";
    }
}
