package dev.kassa.api.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.api.ScriptedDataSource;
import dev.kassa.api.auth.Merchant;
import dev.kassa.api.idempotency.IdempotentRequest;
import dev.kassa.api.kafka.CommandPublisher;
import dev.kassa.api.kafka.OutcomeListener;
import dev.kassa.model.Account;
import dev.kassa.model.AccountEvent;
import dev.kassa.model.Command;
import dev.kassa.model.Ids;
import dev.kassa.model.OpenAccount;
import dev.kassa.model.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An account the API opened, or read back from Postgres, is known to the account facts cache, so paying
 * from it needs no query; an opening the topology has not confirmed yet is not. Plan: the real store
 * over a scripted ledger counts the queries; a MockProducer plays the topology, answering each
 * {@code OpenAccount} with its {@code AccountOpened} on a MockConsumer the real outcome listener reads
 * (whose own hand-on to the cache is left out here, to see the service's).
 */
class AccountServiceTest {

    private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");
    private static final Merchant MERCHANT = new Merchant("mer_1", "Acme", Ids.next(Ids.ACCOUNT), NOW);
    private static final TopicPartition ACCOUNTS = new TopicPartition(Topics.ACCOUNTS_EVENTS.name(), 0);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("latest");
    private final OutcomeListener outcomes = new OutcomeListener(consumer, 10, registry);
    private volatile boolean topologyAnswers = true;
    private long accountOffset;

    private final MockProducer<String, Command> topology = new MockProducer<>(true, null,
            Topics.PAYMENTS_COMMANDS.keySerde().serializer(), Topics.PAYMENTS_COMMANDS.valueSerde().serializer()) {
        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, Command> record, Callback callback) {
            Future<RecordMetadata> sent = super.send(record, callback);
            if (topologyAnswers && record.value() instanceof OpenAccount open) {
                Account account = new Account(open.accountId(), open.merchantId(), open.currency(), false, open.requestedAt());
                byte[] value = Topics.ACCOUNTS_EVENTS.valueSerde().serializer()
                        .serialize(ACCOUNTS.topic(), AccountEvent.opened(account, NOW));
                consumer.addRecord(new ConsumerRecord<>(ACCOUNTS.topic(), 0, accountOffset++, account.id(), value));
            }
            return sent;
        }
    };

    @AfterEach
    void close() {
        outcomes.close();
    }

    private AccountService service(ScriptedDataSource ledger, AccountFactsCache facts, Duration outcomeWait) {
        for (String topic : List.of(Topics.PAYMENTS_EVENTS.name(), ACCOUNTS.topic(), Topics.PAYMENTS_REPLAYS.name())) {
            consumer.updatePartitions(topic, List.of(new PartitionInfo(topic, 0, null, null, null)));
            consumer.updateEndOffsets(Map.of(new TopicPartition(topic, 0), 0L));
        }
        outcomes.start(Duration.ofSeconds(1));
        AccountOpener opener = new AccountOpener(new CommandPublisher(topology, Duration.ofSeconds(1), registry), outcomes,
                outcomeWait, Clock.fixed(NOW, ZoneOffset.UTC));
        return new AccountService(opener, new AccountStore(ledger.dataSource()), facts);
    }

    private static IdempotentRequest key() {
        return new IdempotentRequest("accounts", "key-1", "fingerprint-1");
    }

    @Test
    void confirmedOpeningIsKnownWithoutAQuery() {
        ScriptedDataSource ledger = ScriptedDataSource.empty();
        AccountFactsCache facts = new AccountFactsCache(new AccountStore(ledger.dataSource()), 100, registry);
        AccountService accounts = service(ledger, facts, Duration.ofSeconds(5));

        AccountOpening opening = accounts.open(MERCHANT, key(), new AccountRequest("usd"));

        assertThat(opening.confirmed()).isTrue();
        assertThat(ledger.executed("INSERT", "accounts")).isEqualTo(1);
        assertThat(facts.find("mer_1", opening.account().id()))
                .contains(new AccountFacts(opening.account().id(), "mer_1", "usd"));
        assertThat(facts.find("mer_2", opening.account().id())).isEmpty();
        assertThat(ledger.executed("SELECT", "accounts")).isZero();
    }

    @Test
    void unconfirmedOpeningIsNotRemembered() {
        topologyAnswers = false;
        ScriptedDataSource ledger = ScriptedDataSource.empty();
        AccountFactsCache facts = new AccountFactsCache(new AccountStore(ledger.dataSource()), 100, registry);
        AccountService accounts = service(ledger, facts, Duration.ZERO);

        AccountOpening opening = accounts.open(MERCHANT, key(), new AccountRequest("usd"));

        assertThat(opening.confirmed()).isFalse();
        assertThat(facts.find("mer_1", opening.account().id())).as("not in Postgres either yet").isEmpty();
        assertThat(ledger.executed("SELECT", "accounts")).isEqualTo(1);
    }

    @Test
    void accountReadBackIsRemembered() {
        String accountId = Ids.next(Ids.ACCOUNT);
        ScriptedDataSource ledger = new ScriptedDataSource(sql -> sql.contains("FROM accounts")
                ? List.of(Map.of("id", accountId, "merchant_id", "mer_1", "currency", "eur", "balance", 2_500L, "created", NOW))
                : List.of());
        AccountFactsCache facts = new AccountFactsCache(new AccountStore(ledger.dataSource()), 100, registry);
        AccountService accounts = service(ledger, facts, Duration.ZERO);

        assertThat(accounts.find(MERCHANT, accountId)).map(AccountView::balance).contains(2_500L);
        assertThat(facts.find("mer_1", accountId)).map(AccountFacts::currency).contains("eur");

        assertThat(ledger.executed("SELECT", "accounts")).as("the GET's own query only").isEqualTo(1);
    }
}
