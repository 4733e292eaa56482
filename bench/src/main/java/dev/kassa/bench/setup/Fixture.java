package dev.kassa.bench.setup;

import java.util.List;
import java.util.Objects;

/**
 * What a run pays with, made in the untimed setup phase: one merchant of its own (so that every
 * count in Postgres can be scoped to this run), its funded source accounts, and destination accounts.
 *
 * @param merchantId   the run's merchant
 * @param secretKey    its API key
 * @param ownAccount   the merchant's own account: the one hot destination of a flash sale
 * @param sources      funded accounts that pay
 * @param destinations accounts that are paid
 */
public record Fixture(String merchantId, String secretKey, String ownAccount, List<String> sources,
                      List<String> destinations) {

    public Fixture {
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(secretKey, "secretKey");
        Objects.requireNonNull(ownAccount, "ownAccount");
        sources = List.copyOf(sources);
        destinations = List.copyOf(destinations);
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("a fixture needs at least one source account");
        }
    }
}
