package dev.kassa.ledger.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.ledger.AccountEventRecord;
import dev.kassa.ledger.DeadLetterRecord;
import dev.kassa.ledger.Fixtures;
import dev.kassa.ledger.LedgerRecord;
import dev.kassa.ledger.PaymentEventRecord;
import dev.kassa.model.AccountEvent;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentKind;
import dev.kassa.model.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RecordDecoderTest {

    private static final Instant AT = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void paymentAndAccountEventsAreDecodedWithTheTopicsSerdes() {
        PaymentEvent event = Fixtures.initiated(Fixtures.pending(PaymentKind.PAYMENT, 10, "usd",
                Fixtures.accountId(AT), Fixtures.accountId(AT), AT), AT);
        AccountEvent opened = Fixtures.accountOpened(Fixtures.accountId(AT), "usd", AT);

        LedgerRecord payment = RecordDecoder.decode(record(Topics.PAYMENTS_EVENTS.name(), 4,
                Topics.PAYMENTS_EVENTS.valueSerde().serializer().serialize("", event)));
        LedgerRecord account = RecordDecoder.decode(record(Topics.ACCOUNTS_EVENTS.name(), 9,
                Topics.ACCOUNTS_EVENTS.valueSerde().serializer().serialize("", opened)));

        assertThat(payment).isEqualTo(new PaymentEventRecord(Fixtures.PAYMENTS_0, 4, event));
        assertThat(account).isEqualTo(new AccountEventRecord(Fixtures.ACCOUNTS_0, 9, opened));
    }

    @Test
    void paymentEventKeepsTheBytesItWasReadFrom() {
        // A dead letter made of this event later must carry these bytes, not a re-encoding of the event.
        PaymentEvent event = Fixtures.initiated(Fixtures.pending(PaymentKind.PAYMENT, 10, "usd",
                Fixtures.accountId(AT), Fixtures.accountId(AT), AT), AT);
        String json = new String(Topics.PAYMENTS_EVENTS.valueSerde().serializer().serialize("", event),
                StandardCharsets.UTF_8);
        byte[] asWritten = (" " + json + "\n").getBytes(StandardCharsets.UTF_8);

        LedgerRecord decoded = RecordDecoder.decode(record(Topics.PAYMENTS_EVENTS.name(), 4, asWritten));

        assertThat(decoded).isInstanceOfSatisfying(PaymentEventRecord.class, payment -> {
            assertThat(payment.value()).isEqualTo(asWritten);
            assertThat(payment.key()).isEqualTo("key".getBytes(StandardCharsets.UTF_8));
        });
    }

    @Test
    void unreadableValueBecomesADeadLetterWithItsBytesAndReason() {
        byte[] garbage = "{\"eventId\": 42, not json".getBytes(StandardCharsets.UTF_8);

        LedgerRecord decoded = RecordDecoder.decode(record(Topics.PAYMENTS_EVENTS.name(), 7, garbage));

        assertThat(decoded).isInstanceOfSatisfying(DeadLetterRecord.class, dead -> {
            assertThat(dead.offset()).isEqualTo(7);
            assertThat(dead.value()).isEqualTo(garbage);
            assertThat(dead.key()).isEqualTo("key".getBytes(StandardCharsets.UTF_8));
            assertThat(dead.reason()).contains("cannot read PaymentEvent");
        });
    }

    @Test
    void validJsonBreakingTheEventsRulesBecomesADeadLetter() {
        // Readable JSON, but a sequence of 0 breaks PaymentEvent's own check.
        byte[] json = "{\"eventId\":\"evt_1\",\"type\":\"PaymentInitiated\",\"paymentId\":\"pay_1\",\"merchantId\":\"m\",\"sequence\":0}"
                .getBytes(StandardCharsets.UTF_8);

        assertThat(RecordDecoder.decode(record(Topics.PAYMENTS_EVENTS.name(), 0, json))).isInstanceOf(DeadLetterRecord.class);
    }

    @Test
    void tombstoneBecomesADeadLetter() {
        assertThat(RecordDecoder.decode(record(Topics.ACCOUNTS_EVENTS.name(), 0, null)))
                .isInstanceOfSatisfying(DeadLetterRecord.class, dead -> assertThat(dead.reason()).contains("tombstone"));
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, long offset, byte[] value) {
        return new ConsumerRecord<>(topic, 0, offset, "key".getBytes(StandardCharsets.UTF_8), value);
    }
}
