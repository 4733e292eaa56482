package dev.kassa.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * The compact binary form of internal records (docs/architecture.md, Internal record formats): what
 * is written reads back equal, commands of earlier releases (JSON, written out here by hand) still
 * read, and damaged bytes fail as a {@link SerializationException} — the exception the topology's
 * handlers dead-letter — whatever the damage.
 */
class CompactSerdeTest {

    private static final Instant AT = Instant.parse("2026-03-02T09:00:05.123456789Z");
    private static final CommandSerde COMMANDS = new CommandSerde();

    /** A payment's command as the JSON serde of the release before the binary form wrote it, byte for byte. */
    private static final String EARLIER_RELEASE_COMMAND = """
            {"type":"CreatePayment","paymentId":"pay_1","merchantId":"mer_1","idempotencyKey":"key-1",\
            "kind":"payment","amount":1250,"currency":"usd","source":"acct_a","destination":"acct_b",\
            "description":"coffee","metadata":{"order":"42"},"requestedAt":"2026-03-02T09:00:05Z",\
            "requestFingerprint":"f1","cardToken":null}""";

    @Test
    void aPaymentsCommandIsWrittenInTheBinaryFormAndReadBackEqual() {
        CreatePayment command = payment(Map.of("order", "42", "note", "ünïcödé ✓"), "a description", "f1");

        byte[] bytes = COMMANDS.toBytes(command);

        assertThat(bytes[0]).isEqualTo(CommandSerde.CREATE_PAYMENT);
        assertThat(COMMANDS.fromBytes(bytes)).isEqualTo(command);
        assertThat(bytes.length).isLessThan(JsonSerde.of(Command.class).toBytes(command).length / 2);
    }

    @Test
    void absentFieldsAndACardTokenSurviveTheBinaryForm() {
        CreatePayment bare = payment(Map.of(), null, null);
        CreatePayment card = new CreatePayment("pay_2", "mer_1", "key-2", PaymentKind.CARD, 99, "eur",
                Ids.cardClearingAccount("eur"), "acct_b", null, Map.of(), AT, "f2", "tok_visa");

        assertThat(COMMANDS.fromBytes(COMMANDS.toBytes(bare))).isEqualTo(bare);
        assertThat(COMMANDS.fromBytes(COMMANDS.toBytes(card))).isEqualTo(card);
    }

    @Test
    void accountOpeningsAndRefundsStayJson() {
        Command open = new OpenAccount("acct_x", "mer_1", "key-3", "jpy", AT, null);

        byte[] bytes = COMMANDS.toBytes(open);

        assertThat(bytes[0]).isEqualTo((byte) '{');
        assertThat(COMMANDS.fromBytes(bytes)).isEqualTo(open);
    }

    @Test
    void aCommandOfTheReleaseBeforeTheBinaryFormStillReads() {
        Command read = COMMANDS.fromBytes(EARLIER_RELEASE_COMMAND.getBytes(StandardCharsets.UTF_8));

        assertThat(read).isEqualTo(new CreatePayment("pay_1", "mer_1", "key-1", PaymentKind.PAYMENT, 1250, "usd",
                "acct_a", "acct_b", "coffee", Map.of("order", "42"), Instant.parse("2026-03-02T09:00:05Z"), "f1"));
    }

    @Test
    void everyTruncationOfARecordIsASerializationException() {
        byte[] bytes = COMMANDS.toBytes(payment(Map.of("order", "42"), "a description", "f1"));

        for (int length = 0; length < bytes.length; length++) {
            byte[] truncated = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> COMMANDS.fromBytes(truncated))
                    .as("the first %d of %d bytes", length, bytes.length)
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("Command");
        }
    }

    @Test
    void bytesLeftOverAnUnknownFormatOrAnUnknownConstantAreRefused() {
        byte[] bytes = COMMANDS.toBytes(payment(Map.of(), null, null));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        byte[] otherFormat = bytes.clone();
        otherFormat[0] = 9;
        // The kind is written by name right after three strings: rename "PAYMENT" to "PAYMENX".
        byte[] unknownKind = new String(bytes, StandardCharsets.ISO_8859_1).replace("PAYMENT", "PAYMENX")
                .getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> COMMANDS.fromBytes(longer)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("left over");
        assertThatThrownBy(() -> COMMANDS.fromBytes(otherFormat)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown format 9");
        assertThatThrownBy(() -> COMMANDS.fromBytes(unknownKind)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("PAYMENX");
        assertThatThrownBy(() -> COMMANDS.fromBytes("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void aPaymentInEveryStateSurvivesItsLayout() {
        Payment pending = Payment.pending(payment(new LinkedHashMap<>(Map.of("k", "v")), "d", "f1"));
        Payment judged = pending.withFraud(new FraudAssessment(70, FraudAssessment.Decision.REVIEW,
                List.of("velocity", "new destination")));
        for (Payment payment : List.of(pending, judged, judged.completed(), judged.failed(DeclineCode.FRAUD_BLOCKED))) {
            BinaryWriter out = new BinaryWriter((byte) 1);
            PaymentCodec.write(out, payment);
            byte[] bytes = out.toByteArray();
            BinaryReader in = new BinaryReader(bytes, "Payment");
            assertThat(PaymentCodec.readPayment(in)).isEqualTo(payment);
            in.end();
        }
    }

    @Property(tries = 300)
    void everyNumberSurvivesItsVarint(@ForAll long value) {
        byte[] bytes = new BinaryWriter((byte) 1).putLong(value).toByteArray();
        BinaryReader in = new BinaryReader(bytes, "number");

        assertThat(in.getLong()).isEqualTo(value);
        in.end();
        assertThat(bytes.length).isLessThanOrEqualTo(11);
    }

    @Property(tries = 200)
    void everyCommandSurvivesTheBinaryForm(@ForAll("commands") CreatePayment command) {
        assertThat(COMMANDS.fromBytes(COMMANDS.toBytes(command))).isEqualTo(command);
    }

    @Provide
    Arbitrary<CreatePayment> commands() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(40);
        Arbitrary<Map<String, String>> metadata = Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1)
                .ofMaxLength(10), text).ofMaxSize(5);
        return Combinators.combine(Arbitraries.longs().between(1, Money.AMOUNT_MAX), text.injectNull(0.3), metadata,
                Arbitraries.longs().between(0, 4_000_000_000L), Arbitraries.integers().between(0, 999_999_999))
                .as((amount, description, meta, seconds, nanos) -> new CreatePayment("pay_p", "mer_p", "key-p",
                        PaymentKind.PAYMENT, amount, "usd", "acct_a", "acct_b", description, meta,
                        Instant.ofEpochSecond(seconds, nanos), null));
    }

    private static CreatePayment payment(Map<String, String> metadata, String description, String fingerprint) {
        return new CreatePayment("pay_1", "mer_1", "key-1", PaymentKind.PAYMENT, 1250, "usd", "acct_a", "acct_b",
                description, metadata, AT, fingerprint);
    }
}
