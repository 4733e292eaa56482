package dev.kassa.api.auth;

import java.util.Optional;

/** Finds the merchant a secret key belongs to, by the key's SHA-256 hash (keys are never stored). */
@FunctionalInterface
public interface MerchantDirectory {

    Optional<Merchant> findBySecretKeyHash(String secretKeyHash);
}
