package dev.kassa.bench.setup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kassa.bench.load.HttpApi;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Builds a {@link Fixture} through the API, exactly as a client would: {@code POST /admin/merchants},
 * then {@code POST /v1/accounts} and {@code POST /v1/accounts/{id}/deposits} for each source, a few
 * at a time. Every call must succeed, or the run is not started: a half-funded fixture would show
 * up as declines that are the harness's fault.
 */
public final class FixtureBuilder {

    /** Enough to pay far more payments of the run's amounts than any run can send. */
    public static final long SOURCE_FUNDING = 10_000_000_000L;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final int SETUP_THREADS = 16;
    private static final int ATTEMPTS_MAX = 5;

    private final HttpApi api;
    private final HttpApi admin;
    private final String adminToken;

    /** Builds through {@code api}, creating the merchant through {@code admin}, where {@code /admin} is served. */
    public FixtureBuilder(HttpApi api, HttpApi admin, String adminToken) {
        this.api = Objects.requireNonNull(api, "api");
        this.admin = Objects.requireNonNull(admin, "admin");
        this.adminToken = Objects.requireNonNull(adminToken, "adminToken");
    }

    /** A new merchant named after the run, {@code sourceCount} funded sources, {@code destinationCount} destinations. */
    public Fixture build(String runName, int sourceCount, int destinationCount) throws InterruptedException {
        JsonNode merchant;
        try {
            merchant = call(admin, "/admin/merchants", adminToken, "{\"name\": \"bench " + runName + "\"}", 201, false);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the run's merchant at " + admin.baseUrl(), e);
        }
        String secretKey = merchant.path("secret_key").asText();
        ExecutorService pool = Executors.newFixedThreadPool(SETUP_THREADS);
        try {
            List<Future<String>> sources = new ArrayList<>();
            for (int i = 0; i < sourceCount; i++) {
                sources.add(pool.submit(() -> fundedAccount(secretKey)));
            }
            List<Future<String>> destinations = new ArrayList<>();
            for (int i = 0; i < destinationCount; i++) {
                destinations.add(pool.submit(() -> account(secretKey)));
            }
            return new Fixture(merchant.path("id").asText(), secretKey, merchant.path("account").asText(),
                    collect(sources), collect(destinations));
        } finally {
            pool.shutdownNow();
        }
    }

    private String fundedAccount(String secretKey) throws IOException, InterruptedException {
        String account = account(secretKey);
        call(api, "/v1/accounts/" + account + "/deposits", secretKey, "{\"amount\": " + SOURCE_FUNDING + "}", 201, false);
        return account;
    }

    private String account(String secretKey) throws IOException, InterruptedException {
        return call(api, "/v1/accounts", secretKey, "{\"currency\": \"usd\"}", 201, true).path("id").asText();
    }

    /**
     * One setup call under one idempotency key, retried with that key on a 408 (body too slow), a 409 (still in use) or a 503
     * until it answers {@code expectedStatus}: the key makes the retry safe. A 202 (still under way) is
     * the answer when {@code untilDecided} is false — a merchant's creation answered 202 carries its
     * secret key, which a replay never shows again — and is retried like a 409 when it is true: an
     * account whose opening is still under way cannot take a deposit yet, and a retry answers 201 once
     * it is open (a 202 is accepted only when the retries are spent).
     */
    private static JsonNode call(HttpApi api, String path, String bearer, String body, int expectedStatus,
                                 boolean untilDecided) throws IOException, InterruptedException {
        String key = "bench-setup-" + UUID.randomUUID();
        HttpApi.Answer answer = null;
        for (int attempt = 1; attempt <= ATTEMPTS_MAX; attempt++) {
            answer = api.send(api.post(path, bearer, key, body, CALL_TIMEOUT));
            if (answer.status() == expectedStatus || (answer.status() == 202 && !untilDecided)) {
                return answer.json();
            }
            // 408: the API executed nothing (its body deadline, docs/api.md); 409 and 503 likewise. Same key again.
            if (answer.status() != 202 && answer.status() != 408 && answer.status() != 409 && answer.status() != 503) {
                break;
            }
            Thread.sleep(200L * attempt);
        }
        if (answer.status() == 202) {
            return answer.json();
        }
        throw new IllegalStateException("setup call POST " + path + " answered " + answer.status() + " "
                + answer.body() + ", expected " + expectedStatus);
    }

    private static List<String> collect(List<Future<String>> futures) throws InterruptedException {
        List<String> ids = new ArrayList<>(futures.size());
        for (Future<String> future : futures) {
            try {
                ids.add(future.get());
            } catch (ExecutionException e) {
                throw new IllegalStateException("the setup phase failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
        return ids;
    }
}
