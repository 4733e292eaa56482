package dev.kassa.api.merchants;

import java.util.Objects;

/** A validated {@code POST /admin/merchants} body: the merchant's name and its own account's currency. */
public record MerchantRequest(String name, String currency) {

    /** The currency of a merchant's own account when the request names none. */
    public static final String CURRENCY_DEFAULT = "usd";

    public MerchantRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(currency, "currency");
    }
}
