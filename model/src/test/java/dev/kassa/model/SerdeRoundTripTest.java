package dev.kassa.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class SerdeRoundTripTest {

    private static final Instant AT = Instant.parse("2026-11-25T08:00:00.123Z");

    private static CreatePayment payment() {
        return new CreatePayment(Ids.next(Ids.PAYMENT, AT), "mer_1", "key-1", PaymentKind.PAYMENT, 1250, "usd",
                "acct_a", "acct_b", "order 42", Map.of("order_id", "42"), AT, "9f86d081884c7d65");
    }

    @Test
    void commandsSurviveTheTopicUnchanged() {
        JsonSerde<Command> serde = JsonSerde.of(Command.class);
        Command payment = payment();
        Command open = new OpenAccount("acct_x", "mer_1", "key-2", "jpy", AT, null);
        assertThat(serde.fromBytes(serde.toBytes(payment))).isEqualTo(payment);
        assertThat(serde.fromBytes(serde.toBytes(open))).isEqualTo(open);
    }

    @Test
    void commandsAreWrittenWithTheirTypeName() throws Exception {
        byte[] bytes = JsonSerde.of(Command.class).toBytes(payment());
        JsonNode tree = Json.mapper().readTree(bytes);
        assertThat(tree.get("type").asText()).isEqualTo("CreatePayment");
        assertThat(tree.get("kind").asText()).isEqualTo("payment");
        assertThat(tree.get("requestedAt").asText()).isEqualTo("2026-11-25T08:00:00.123Z");
    }

    @Test
    void paymentEventsSurviveTheTopicUnchanged() {
        Payment completed = Payment.pending(payment()).completed();
        PaymentEvent event = PaymentEvent.of(PaymentEventType.PaymentCompleted, 2, AT, completed,
                List.of(new LedgerEntry("acct_a", -1250, "usd"), new LedgerEntry("acct_b", 1250, "usd")));
        JsonSerde<PaymentEvent> serde = JsonSerde.of(PaymentEvent.class);
        assertThat(serde.fromBytes(serde.toBytes(event))).isEqualTo(event);
    }

    @Test
    void failedPaymentsCarryTheirDeclineCodeOnTheWire() throws Exception {
        Payment failed = Payment.pending(payment()).failed(DeclineCode.INSUFFICIENT_FUNDS);
        PaymentEvent event = PaymentEvent.of(PaymentEventType.PaymentFailed, 2, AT, failed, List.of());
        JsonNode tree = Json.mapper().readTree(JsonSerde.of(PaymentEvent.class).toBytes(event));
        assertThat(tree.at("/payment/failureCode").asText()).isEqualTo("insufficient_funds");
        assertThat(tree.at("/payment/status").asText()).isEqualTo("failed");
        assertThat(JsonSerde.of(PaymentEvent.class).fromBytes(JsonSerde.of(PaymentEvent.class).toBytes(event)))
                .isEqualTo(event);
    }

    @Test
    void accountEventsSurviveTheTopicUnchanged() {
        AccountEvent event = AccountEvent.opened(new Account("acct_x", "mer_1", "kwd", false, AT), AT);
        JsonSerde<AccountEvent> serde = JsonSerde.of(AccountEvent.class);
        assertThat(serde.fromBytes(serde.toBytes(event))).isEqualTo(event);
    }

    @Test
    void commandReplaysSurviveTheTopicUnchanged() {
        CommandReplay replay = new CommandReplay(CommandReplay.SCHEMA_VERSION, "mer_1:key-1", "mer_1", "key-1",
                "pay_requested", "pay_original", "9f86d081884c7d65", AT);
        JsonSerde<CommandReplay> serde = JsonSerde.of(CommandReplay.class);
        assertThat(serde.fromBytes(serde.toBytes(replay))).isEqualTo(replay);
    }

    @Test
    void unreadableBytesRaiseASerializationException() {
        JsonSerde<PaymentEvent> serde = JsonSerde.of(PaymentEvent.class);
        assertThatThrownBy(() -> serde.fromBytes("{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> serde.fromBytes("{\"type\":\"Nope\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> JsonSerde.of(Command.class).fromBytes("{\"type\":\"Unknown\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void aReplayTellsARetryFromAnotherRequestReusingTheKey() {
        CommandReplay replay = new CommandReplay(CommandReplay.SCHEMA_VERSION, "mer_1:key-1", "mer_1", "key-1",
                "pay_requested", "pay_original", "aaaa", AT);
        CommandReplay unfingerprinted = new CommandReplay(CommandReplay.SCHEMA_VERSION, "mer_1:key-1", "mer_1", "key-1",
                "pay_requested", "pay_original", null, AT);

        assertThat(replay.isRetryOf("aaaa")).isTrue();
        assertThat(replay.isRetryOf("bbbb")).isFalse();
        assertThat(replay.isRetryOf(null)).isTrue();
        assertThat(unfingerprinted.isRetryOf("bbbb")).isTrue();
    }

    @Test
    void commandsFromBeforeFingerprintsStillRead() {
        String old = "{\"type\":\"OpenAccount\",\"accountId\":\"acct_x\",\"merchantId\":\"mer_1\","
                + "\"idempotencyKey\":\"key-2\",\"currency\":\"jpy\",\"requestedAt\":\"2026-11-25T10:00:00Z\"}";
        Command command = JsonSerde.of(Command.class).fromBytes(old.getBytes(StandardCharsets.UTF_8));

        assertThat(command).isInstanceOf(OpenAccount.class);
        assertThat(command.requestFingerprint()).isNull();
    }
}
