package dev.kassa.processor.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.processor.Charge;
import dev.kassa.processor.ChargeOutcome;
import dev.kassa.processor.ChargeRequest;
import dev.kassa.processor.HttpCardProcessor;
import dev.kassa.processor.Rejected;
import dev.kassa.processor.Unknown;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/processor-sim.md's idempotency and fault contract, on a sandbox running as a separate process and
 * driven over real sockets by {@link HttpCardProcessor}, the client a connector uses. Every check of
 * "one charge" lists the charges of the test's own reference at the sandbox, so it counts what was made,
 * not what the client was told.
 */
@Tag("integration")
class ProcessorSandboxIT {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path dataDirectory;

    private static SandboxProcess sandbox;
    private static HttpCardProcessor processor;

    @BeforeAll
    static void startSandbox() {
        sandbox = SandboxProcess.start(dataDirectory, 19);
        processor = client(REQUEST_TIMEOUT);
    }

    @AfterAll
    static void stopSandbox() throws InterruptedException {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @BeforeEach
    void noFaults() {
        sandbox.putFaults("{}");
    }

    @Test
    void sameKeyAndSameBodyIsAnsweredAgainAndChargedOnce() {
        // Plan: charge 1,250 usd with a key, send the very same request again. The second answer must
        // be the first charge, flagged replayed, and the sandbox must hold one charge for the reference.
        ChargeRequest request = new ChargeRequest(1_250, "usd", "tok_visa", reference());
        String key = key();

        ChargeOutcome first = processor.createCharge(request, key);
        ChargeOutcome again = processor.createCharge(request, key);

        assertThat(first).isInstanceOfSatisfying(ChargeOutcome.Charged.class, charged -> {
            assertThat(charged.replayed()).isFalse();
            assertThat(charged.charge().status()).isEqualTo(Charge.Status.SUCCEEDED);
            assertThat(charged.charge().fee()).isEqualTo(66); // 2.9 % of 1,250 = 36.25 -> 36, + 30
        });
        assertThat(again).isEqualTo(new ChargeOutcome.Charged(((ChargeOutcome.Charged) first).charge(), true));
        assertThat(processor.chargesByReference(request.reference())).hasSize(1);
    }

    @Test
    void concurrentRequestsWithOneKeyMakeOneCharge() throws Exception {
        // Plan: 8 threads send the same request with the same key at once. Exactly one answer may be
        // the original; the 7 others must be replays of that very charge, and the sandbox must hold one.
        ChargeRequest request = new ChargeRequest(7_500, "eur", "tok_visa", reference());
        String key = key();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ChargeOutcome>> answers = new ArrayList<>();
        try {
            for (int thread = 0; thread < threads; thread++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return processor.createCharge(request, key);
                }));
            }
            start.countDown();
            List<ChargeOutcome.Charged> charged = new ArrayList<>();
            for (Future<ChargeOutcome> answer : answers) {
                charged.add((ChargeOutcome.Charged) answer.get(30, TimeUnit.SECONDS));
            }

            assertThat(charged).filteredOn(outcome -> !outcome.replayed()).hasSize(1);
            assertThat(charged).extracting(outcome -> outcome.charge().id()).containsOnly(charged.get(0).charge().id());
            assertThat(processor.chargesByReference(request.reference())).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sameKeyWithAnotherBodyIsRefusedAndChargesNothing() {
        ChargeRequest request = new ChargeRequest(1_250, "usd", "tok_visa", reference());
        String key = key();
        processor.createCharge(request, key);

        ChargeOutcome reused = processor.createCharge(new ChargeRequest(9_999, "usd", "tok_visa", request.reference()), key);

        assertThat(reused).isInstanceOfSatisfying(Rejected.class, rejected -> {
            assertThat(rejected.status()).isEqualTo(409);
            assertThat(rejected.code()).isEqualTo("idempotency_key_reused");
        });
        assertThat(processor.chargesByReference(request.reference())).extracting(Charge::amount).containsExactly(1_250L);
    }

    @Test
    void declinedCardIsDeclinedOnceAndReplayedAsDeclined() {
        ChargeRequest request = new ChargeRequest(800, "eur", "tok_insufficientFunds", reference());
        String key = key();

        ChargeOutcome first = processor.createCharge(request, key);
        ChargeOutcome again = processor.createCharge(request, key);

        assertThat(first).isInstanceOfSatisfying(ChargeOutcome.Declined.class, declined -> {
            assertThat(declined.charge().declineCode()).isEqualTo(Charge.DeclineCode.INSUFFICIENT_FUNDS);
            assertThat(declined.charge().fee()).isZero();
        });
        assertThat(again).isInstanceOfSatisfying(ChargeOutcome.Declined.class, declined -> assertThat(declined.replayed()).isTrue());
        assertThat(processor.chargesByReference(request.reference())).hasSize(1);
    }

    @Test
    void droppedAnswerAfterCommitIsUnknownAndTheRetryReturnsTheOneCharge() {
        // Plan: every new creation is made, stored, then answered by closing the connection. The client
        // must see Unknown; the sandbox must hold exactly one charge; a retry with the same key (the drop
        // fault still on: it hits new creations only) must get that charge back, replayed, and make none.
        sandbox.putFaults("{\"drop_after_commit_rate\": \"1\"}");
        ChargeRequest request = new ChargeRequest(4_200, "gbp", "tok_mastercard", reference());
        String key = key();

        ChargeOutcome lost = processor.createCharge(request, key);

        assertThat(lost).isInstanceOfSatisfying(Unknown.class,
                unknown -> assertThat(unknown.reason()).contains("the connection failed without an answer"));
        assertThat(processor.chargesByReference(request.reference())).hasSize(1);
        Charge made = processor.chargesByReference(request.reference()).get(0);
        ChargeOutcome retried = processor.createCharge(request, key);
        assertThat(retried).isEqualTo(new ChargeOutcome.Charged(made, true));
        assertThat(processor.chargesByReference(request.reference())).containsExactly(made);
    }

    @Test
    void serverErrorFaultAnswersFiveHundredsAndMakesNothing() {
        // Plan: every request is answered 500 or 503 before acting. The client must see Unknown, and once
        // the fault is off, the reference must have no charge and the same key must make a new one.
        sandbox.putFaults("{\"error_rate\": \"1\"}");
        ChargeRequest request = new ChargeRequest(1_000, "usd", "tok_visa", reference());
        String key = key();

        ChargeOutcome failed = processor.createCharge(request, key);

        assertThat(failed).isInstanceOfSatisfying(Unknown.class,
                unknown -> assertThat(unknown.reason()).containsAnyOf("500", "503"));
        sandbox.putFaults("{}");
        assertThat(processor.chargesByReference(request.reference())).isEmpty();
        assertThat(processor.createCharge(request, key)).isInstanceOfSatisfying(ChargeOutcome.Charged.class,
                charged -> assertThat(charged.replayed()).isFalse());
    }

    @Test
    void latencyFaultDelaysEveryAnswer() {
        sandbox.putFaults("{\"latency_ms\": 700}");
        String reference = reference();

        long started = System.nanoTime();
        assertThat(processor.chargesByReference(reference)).isEmpty();
        long elapsedMs = Duration.ofNanos(System.nanoTime() - started).toMillis();

        assertThat(elapsedMs).isGreaterThanOrEqualTo(700);
    }

    @Test
    void timedOutCreationIsUnknownToTheClientButMade() {
        // Plan: every answer is held for 5 s and the client gives up after 1 s. The client must see
        // Unknown; the charge must nevertheless exist, once, and a retry with the key must return it.
        sandbox.putFaults("{\"timeout_rate\": \"1\", \"timeout_ms\": 5000}");
        ChargeRequest request = new ChargeRequest(2_000, "usd", "tok_visa", reference());
        String key = key();

        ChargeOutcome timedOut = client(Duration.ofSeconds(1)).createCharge(request, key);

        assertThat(timedOut).isInstanceOfSatisfying(Unknown.class, unknown -> assertThat(unknown.reason()).contains("no answer"));
        sandbox.putFaults("{}");
        assertThat(processor.chargesByReference(request.reference())).hasSize(1);
        assertThat(processor.createCharge(request, key)).isInstanceOfSatisfying(ChargeOutcome.Charged.class,
                charged -> assertThat(charged.replayed()).isTrue());
        assertThat(processor.chargesByReference(request.reference())).hasSize(1);
    }

    @Test
    void unknownCardTokenIsRejectedForGood() {
        ChargeOutcome outcome = processor.createCharge(new ChargeRequest(1_000, "usd", "tok_nobody", reference()), key());

        assertThat(outcome).isEqualTo(new Rejected(400, "unknown_card_token",
                "card_token tok_nobody is not a sandbox test card"));
    }

    static HttpCardProcessor client(Duration requestTimeout) {
        return new HttpCardProcessor(sandbox.uri(), SandboxProcess.API_KEY, requestTimeout, Duration.ofSeconds(5));
    }

    static String reference() {
        return "pay_" + UUID.randomUUID().toString().replace("-", "");
    }

    static String key() {
        return "key-" + UUID.randomUUID();
    }
}
