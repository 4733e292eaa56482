package dev.kassa.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.model.CreatePayment;
import dev.kassa.model.LedgerEntry;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentEventType;
import dev.kassa.model.PaymentStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract of {@code payments.events} that the API and the ledger sink rely on. */
class PaymentEventShapeTest {

    private static final String MERCHANT = "mer_alpha";

    @TempDir
    Path stateDir;

    @Test
    void everyPaymentIsPublishedOnceByItsOutcomeUnlessItTakesTheLongWay() {
        // Plan: one payment of each ending — deposit, completed, declined at the debit, and two that take
        // the long way (a destination the account directory does not know): reversed after the credit,
        // and completed by the destination's task. Per payment id: a payment decided in the transaction
        // that took it has one event, its outcome at 1; one that took the long way has PaymentInitiated
        // (pending, no entries) at 1 and its outcome at 2. Every event is keyed by its payment's id.
        try (TopologyHarness harness = new TopologyHarness(stateDir)) {
            harness.openAccount(MERCHANT, "acct_alice", "usd");
            harness.openAccount(MERCHANT, "acct_bob", "usd");
            List<CreatePayment> payments = new ArrayList<>(List.of(
                    harness.deposit(MERCHANT, "acct_alice", 1_000, "usd"),
                    harness.pay(MERCHANT, "acct_alice", "acct_bob", 400, "usd"),
                    harness.pay(MERCHANT, "acct_alice", "acct_bob", 5_000, "usd"),
                    harness.pay(MERCHANT, "acct_alice", "acct_nobody", 100, "usd")));
            harness.forgetInAccountDirectory("acct_bob");
            payments.add(harness.pay(MERCHANT, "acct_alice", "acct_bob", 200, "usd"));

            Map<String, List<TestRecord<String, PaymentEvent>>> byKey = harness.paymentEvents().stream()
                    .collect(Collectors.groupingBy(TestRecord::key, LinkedHashMap::new, Collectors.toList()));

            assertThat(byKey.keySet()).containsExactlyElementsOf(payments.stream().map(CreatePayment::paymentId).toList());
            assertThat(byKey.values()).extracting(TopologyHarness::lifecycle).containsExactly(
                    List.of("1 PaymentCompleted"),
                    List.of("1 PaymentCompleted"),
                    List.of("1 PaymentFailed"),
                    List.of("1 PaymentInitiated", "2 PaymentFailed"),
                    List.of("1 PaymentInitiated", "2 PaymentCompleted"));
            byKey.forEach((paymentId, events) -> {
                assertThat(events).allSatisfy(record -> {
                    assertThat(record.value().paymentId()).isEqualTo(paymentId);
                    assertThat(record.value().payment().id()).isEqualTo(paymentId);
                    assertThat(record.value().merchantId()).isEqualTo(MERCHANT);
                });
                assertThat(events).extracting(TestRecord::value)
                        .filteredOn(event -> event.type() == PaymentEventType.PaymentInitiated)
                        .allSatisfy(initiated -> {
                            assertThat(initiated.payment().status()).isEqualTo(PaymentStatus.PENDING);
                            assertThat(initiated.entries()).isEmpty();
                        });
            });
        }
    }

    @Test
    void completedPaymentBooksTwoEntriesThatSumToZero() {
        try (TopologyHarness harness = new TopologyHarness(stateDir)) {
            harness.openAccount(MERCHANT, "acct_alice", "usd");
            harness.openAccount(MERCHANT, "acct_bob", "usd");
            harness.deposit(MERCHANT, "acct_alice", 1_000, "usd");
            harness.pay(MERCHANT, "acct_alice", "acct_bob", 400, "usd");

            List<PaymentEvent> completed = harness.paymentEvents().stream()
                    .map(TestRecord::value)
                    .filter(event -> event.type() == PaymentEventType.PaymentCompleted)
                    .toList();

            assertThat(completed).hasSize(2);
            assertThat(completed.get(0).entries()).containsExactly(
                    new LedgerEntry("acct_external_usd", -1_000, "usd"), new LedgerEntry("acct_alice", 1_000, "usd"));
            assertThat(completed.get(1).entries()).containsExactly(
                    new LedgerEntry("acct_alice", -400, "usd"), new LedgerEntry("acct_bob", 400, "usd"));
            assertThat(completed).allSatisfy(event -> {
                assertThat(event.entries().stream().mapToLong(LedgerEntry::amount).sum()).isZero();
                assertThat(event.payment().status()).isEqualTo(PaymentStatus.COMPLETED);
                assertThat(event.payment().failureCode()).isNull();
            });
        }
    }

    @Test
    void eventsOccurAtTheCommandsRecordTimestamp() {
        // Processors read time only from records, so a replay produces the same occurredAt.
        try (TopologyHarness harness = new TopologyHarness(stateDir)) {
            harness.openAccount(MERCHANT, "acct_alice", "usd");
            CreatePayment deposit = harness.deposit(MERCHANT, "acct_alice", 1_000, "usd");

            List<TestRecord<String, PaymentEvent>> events = harness.paymentEvents();

            assertThat(events).allSatisfy(record -> {
                assertThat(record.value().occurredAt()).isEqualTo(deposit.requestedAt());
                assertThat(record.getRecordTime()).isEqualTo(deposit.requestedAt());
            });
            assertThat(deposit.requestedAt()).isEqualTo(TopologyHarness.START.plusSeconds(2));
            assertThat(events.get(0).value().payment().created()).isEqualTo(deposit.requestedAt());
        }
    }
}
