package dev.kassa.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kassa.api.accounts.AccountFactsCache;
import dev.kassa.api.idempotency.PendingAnswers;
import dev.kassa.model.Ids;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * Resolves a retried account opening first answered {@code 202}: once the account is open — its facts
 * are known to this instance (its own confirmation, or an {@code AccountOpened} its outcome listener
 * read) or the ledger has its row — the retry answers {@code 201} with the account as the first
 * answer showed it (the stored body: balance zero, the opening's creation time), replayed. Until then
 * the {@code 202} is replayed. docs/api.md, Idempotency keys.
 */
public final class PendingOpenings implements PendingAnswers {

    private static final ObjectMapper READER = JsonMapper.builder().build();

    private final AccountFactsCache accounts;

    public PendingOpenings(AccountFactsCache accounts) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
    }

    @Override
    public Optional<ApiResponse> resolve(String merchantId, byte[] pendingBody) {
        String accountId = openedAccountId(pendingBody);
        if (accountId == null || accounts.find(merchantId, accountId).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ApiResponse(201, pendingBody, true));
    }

    /** The id of the account a stored 202 answered the opening of; null for any other body. */
    private static String openedAccountId(byte[] body) {
        JsonNode json;
        try {
            json = READER.readTree(body);
        } catch (IOException e) {
            return null;
        }
        if (json == null || !"account".equals(json.path("object").asText())) {
            return null;
        }
        String id = json.path("id").asText();
        return Ids.isValid(Ids.ACCOUNT, id) ? id : null;
    }
}
