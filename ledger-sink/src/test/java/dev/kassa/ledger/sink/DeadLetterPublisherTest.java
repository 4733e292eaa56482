package dev.kassa.ledger.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kassa.ledger.DeadLetterRecord;
import dev.kassa.ledger.Fixtures;
import dev.kassa.model.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class DeadLetterPublisherTest {

    private final DeadLetterRecord unreadable = new DeadLetterRecord(Fixtures.PAYMENTS_1, 41, "cannot read PaymentEvent",
            "k".getBytes(StandardCharsets.UTF_8), new byte[] {'{', 0, 1});
    private final DeadLetterRecord tombstone = new DeadLetterRecord(Fixtures.PAYMENTS_0, 7, "tombstone", null, null);

    @Test
    void deadLetterKeepsItsBytesAndCarriesTheReasonAndOriginInStreamsHeaders() {
        ProducerRecord<byte[], byte[]> record = DeadLetterPublisher.record(unreadable);

        assertThat(record.topic()).isEqualTo(Topics.DEAD_LETTER.name());
        assertThat(record.key()).isEqualTo(unreadable.key());
        assertThat(record.value()).isEqualTo(unreadable.value());
        assertThat(header(record, "__streams.errors.message")).isEqualTo("cannot read PaymentEvent");
        assertThat(header(record, "__streams.errors.topic")).isEqualTo("payments.events");
        assertThat(header(record, "__streams.errors.partition")).isEqualTo("1");
        assertThat(header(record, "__streams.errors.offset")).isEqualTo("41");
        assertThat(header(record, "__streams.errors.exception")).isEqualTo(DeadLetterPublisher.SINK_EXCEPTION);
        assertThat(DeadLetterPublisher.SINK_EXCEPTION).isEqualTo(DeadLetterRecord.class.getName());
    }

    @Test
    void onlyAcknowledgedSendsAreReportedPublished() {
        // Plan: the broker acknowledges the first send and rejects the second; only the first may be
        // marked published, the second must stay in the outbox for a later relay.
        MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        DeadLetterPublisher publisher = new DeadLetterPublisher(producer, Duration.ofSeconds(10));
        Thread broker = new Thread(() -> {
            await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 2);
            producer.completeNext();
            producer.errorNext(new TimeoutException("not acknowledged"));
        });
        broker.start();

        List<DeadLetterRecord> published = publisher.publish(List.of(unreadable, tombstone));

        assertThat(published).containsExactly(unreadable);
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
