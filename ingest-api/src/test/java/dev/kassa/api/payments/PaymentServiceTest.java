package dev.kassa.api.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.api.ScriptedDataSource;
import dev.kassa.api.accounts.AccountFactsCache;
import dev.kassa.api.accounts.CountingAccountDirectory;
import dev.kassa.api.accounts.AccountView;
import dev.kassa.api.auth.Merchant;
import dev.kassa.api.error.ApiException;
import dev.kassa.api.idempotency.IdempotentRequest;
import dev.kassa.api.kafka.CommandPublisher;
import dev.kassa.api.kafka.OutcomeListener;
import dev.kassa.model.Account;
import dev.kassa.model.Command;
import dev.kassa.model.CreatePayment;
import dev.kassa.model.Ids;
import dev.kassa.model.PaymentStatus;
import dev.kassa.model.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A payment or deposit checks that the account is the merchant's own without asking Postgres once the
 * API knows the account, and another merchant's account stays as missing as an unknown one. Plan: a
 * counting directory stands in for the accounts table; the ledger's other queries find nothing (no
 * earlier payment of the key); commands go to a MockProducer and, with no outcome wait, every payment
 * answers pending.
 */
class PaymentServiceTest {

    private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");
    private static final Merchant MERCHANT = new Merchant("mer_1", "Acme", Ids.next(Ids.ACCOUNT), NOW);

    private final CountingAccountDirectory directory = new CountingAccountDirectory();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AccountFactsCache accounts = new AccountFactsCache(directory, 100, registry);
    private final MockProducer<String, Command> producer = new MockProducer<>(true, null,
            Topics.PAYMENTS_COMMANDS.keySerde().serializer(), Topics.PAYMENTS_COMMANDS.valueSerde().serializer());
    private final OutcomeListener outcomes = new OutcomeListener(new MockConsumer<>("latest"), 10, registry);
    private final PaymentService payments = new PaymentService(new CommandPublisher(producer, Duration.ofSeconds(1), registry),
            outcomes, accounts, new PaymentStore(ScriptedDataSource.empty().dataSource()), Duration.ZERO,
            Clock.fixed(NOW, ZoneOffset.UTC), registry);
    private int keys;

    @AfterEach
    void close() {
        outcomes.close();
    }

    private IdempotentRequest nextKey() {
        keys++;
        return new IdempotentRequest("payments", "key-" + keys, "fingerprint-" + keys);
    }

    private PaymentRequest payment(String source) {
        return new PaymentRequest(500, "usd", source, Optional.of(Ids.next(Ids.ACCOUNT)), Optional.empty(), Map.of());
    }

    private static void assertMissing(Runnable call, String param) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, error -> {
            assertThat(error.status()).isEqualTo(404);
            assertThat(error.code()).isEqualTo("resource_missing");
            assertThat(error.param()).isEqualTo(param);
        });
    }

    private CreatePayment published(int index) {
        ProducerRecord<String, Command> record = producer.history().get(index);
        return (CreatePayment) record.value();
    }

    @Test
    void ownSourceIsAskedOfPostgresOnceThenKnown() {
        String source = directory.add("mer_1", "usd").id();

        assertThat(payments.create(MERCHANT, nextKey(), payment(source)).status()).isEqualTo(PaymentStatus.PENDING);
        assertThat(payments.create(MERCHANT, nextKey(), payment(source)).status()).isEqualTo(PaymentStatus.PENDING);

        assertThat(directory.lookups()).isEqualTo(1);
        assertThat(producer.history()).hasSize(2);
        assertThat(registry.counter("kassa.api.account.facts", "result", "hit").count()).isEqualTo(1);
    }

    @Test
    void accountOpenedAMomentAgoIsPayableWithoutAQuery() {
        Account opened = new Account(Ids.next(Ids.ACCOUNT), "mer_1", "usd", false, NOW);
        accounts.remember(opened); // as the outcome listener does with every AccountOpened

        payments.create(MERCHANT, nextKey(), payment(opened.id()));

        assertThat(directory.lookups()).isEqualTo(0);
        assertThat(published(0).source()).isEqualTo(opened.id());
    }

    @Test
    void unknownSourceIsAskedEveryTimeAndPayableOnceInPostgres() {
        String source = Ids.next(Ids.ACCOUNT);

        assertMissing(() -> payments.create(MERCHANT, nextKey(), payment(source)), "source");
        assertMissing(() -> payments.create(MERCHANT, nextKey(), payment(source)), "source");
        assertThat(directory.lookups()).as("not found is never remembered").isEqualTo(2);

        directory.add(new AccountView(source, "mer_1", "usd", 0, NOW));
        payments.create(MERCHANT, nextKey(), payment(source));
        assertThat(producer.history()).hasSize(1);
    }

    @Test
    void anotherMerchantsAccountIsMissingAlsoOnceKnownHere() {
        AccountView theirs = directory.add("mer_2", "usd");

        assertMissing(() -> payments.create(MERCHANT, nextKey(), payment(theirs.id())), "source");
        assertMissing(() -> payments.deposit(MERCHANT, nextKey(), theirs.id(), new DepositRequest(500, Optional.empty(), Map.of())), "id");

        accounts.remember(new Account(theirs.id(), "mer_2", "usd", false, NOW));
        assertMissing(() -> payments.create(MERCHANT, nextKey(), payment(theirs.id())), "source");
        assertMissing(() -> payments.deposit(MERCHANT, nextKey(), theirs.id(), new DepositRequest(500, Optional.empty(), Map.of())), "id");

        assertThat(producer.history()).isEmpty();
    }

    @Test
    void depositTakesItsCurrencyFromTheKnownAccount() {
        Account opened = new Account(Ids.next(Ids.ACCOUNT), "mer_1", "eur", false, NOW);
        accounts.remember(opened);

        payments.deposit(MERCHANT, nextKey(), opened.id(), new DepositRequest(700, Optional.empty(), Map.of()));

        assertThat(directory.lookups()).isEqualTo(0);
        CreatePayment deposit = published(0);
        assertThat(deposit.currency()).isEqualTo("eur");
        assertThat(deposit.source()).isEqualTo(Ids.externalAccount("eur"));
        assertThat(deposit.destination()).isEqualTo(opened.id());
    }
}
