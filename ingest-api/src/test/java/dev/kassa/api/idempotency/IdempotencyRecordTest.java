package dev.kassa.api.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.api.idempotency.IdempotencyRecord.Decision;
import dev.kassa.model.Ids;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdempotencyRecordTest {

    private static final byte[] FINGERPRINT = IdempotencyRecord.shortFingerprint("00112233445566778899aabbccddeeff0102030405060708090a0b0c0d0e0f10");
    private static final byte[] OTHER = IdempotencyRecord.shortFingerprint("ff112233445566778899aabbccddeeff0102030405060708090a0b0c0d0e0f10");
    private static final String PAYMENT = "pay_3f9a0c1e5b7d4a2c8e6f1a3b5c7d9e0f";
    private static final long EXPIRY = 1_795_000_000L;

    @Test
    void paymentReferenceIsThirtyOneBytesAndRoundTrips() {
        IdempotencyRecord done = IdempotencyRecord.donePayment(FINGERPRINT, EXPIRY, 201, PAYMENT);

        byte[] encoded = done.encode();

        assertThat(encoded).hasSize(1 + 8 + 4 + 2 + 16);
        assertThat(Arrays.copyOfRange(encoded, 15, 31)).isEqualTo(HexFormat.of().parseHex(PAYMENT.substring(4)));
        IdempotencyRecord decoded = IdempotencyRecord.decode(encoded);
        assertThat(decoded).isEqualTo(done);
        assertThat(decoded.paymentId()).isEqualTo(PAYMENT);
        assertThat(decoded.timeSeconds()).isEqualTo(EXPIRY);
        assertThat(decoded.body()).isEmpty();
    }

    @Test
    void doneBodySurvivesEncodingByteForByte() {
        byte[] body = "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"resource_missing\"}}"
                .getBytes(StandardCharsets.UTF_8);
        IdempotencyRecord done = IdempotencyRecord.doneBody(FINGERPRINT, EXPIRY, 404, body);

        IdempotencyRecord decoded = IdempotencyRecord.decode(done.encode());

        assertThat(done.encode()).hasSize(15 + body.length);
        assertThat(decoded).isEqualTo(done);
        assertThat(decoded.paymentId()).isNull();
        assertThat(decoded.body()).isEqualTo(body);
    }

    @Test
    void processingRecordIsThirteenBytesWithItsDeadlineWhereTheScriptsReadIt() {
        IdempotencyRecord processing = IdempotencyRecord.processing(FINGERPRINT, 0xFFFF_FFFEL);

        byte[] encoded = processing.encode();

        assertThat(encoded).hasSize(13);
        assertThat(encoded[0]).isEqualTo((byte) 1);
        // The scripts read the time as an unsigned big-endian integer at bytes 10-13 (1-based).
        assertThat(Arrays.copyOfRange(encoded, 9, 13)).containsExactly(0xFF, 0xFF, 0xFF, 0xFE);
        assertThat(IdempotencyRecord.decode(encoded)).isEqualTo(processing);
    }

    @Test
    void randomRecordsRoundTrip() {
        // A seeded generator stands in for a property test: every shape, status, time and body length.
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            byte[] fingerprint = new byte[8];
            random.nextBytes(fingerprint);
            long time = random.nextLong(IdempotencyRecord.TIME_MAX_SECONDS + 1);
            int status = 100 + random.nextInt(500);
            IdempotencyRecord record = switch (random.nextInt(3)) {
                case 0 -> IdempotencyRecord.processing(fingerprint, time);
                case 1 -> IdempotencyRecord.donePayment(fingerprint, time, status,
                        Ids.next(Ids.PAYMENT, Instant.ofEpochMilli(random.nextLong(1L << 47))));
                default -> {
                    byte[] body = new byte[random.nextInt(700)];
                    random.nextBytes(body);
                    yield IdempotencyRecord.doneBody(fingerprint, time, status, body);
                }
            };
            assertThat(IdempotencyRecord.decode(record.encode())).as("%s", record).isEqualTo(record);
        }
    }

    @Test
    void withTimeChangesOnlyTheTime() {
        IdempotencyRecord done = IdempotencyRecord.donePayment(FINGERPRINT, 0, 402, PAYMENT);

        IdempotencyRecord expiring = done.withTime(EXPIRY);

        assertThat(expiring).isEqualTo(IdempotencyRecord.donePayment(FINGERPRINT, EXPIRY, 402, PAYMENT));
        byte[] zero = done.encode();
        byte[] set = expiring.encode();
        assertThat(Arrays.copyOfRange(zero, 13, zero.length)).isEqualTo(Arrays.copyOfRange(set, 13, set.length));
    }

    @Test
    void malformedRecordsAreRejected() {
        assertThatThrownBy(() -> IdempotencyRecord.decode(new byte[3])).hasMessageContaining("at least 13");
        byte[] unknown = IdempotencyRecord.processing(FINGERPRINT, EXPIRY).encode();
        unknown[0] = 9;
        assertThatThrownBy(() -> IdempotencyRecord.decode(unknown)).hasMessageContaining("unknown");
        byte[] longProcessing = Arrays.copyOf(IdempotencyRecord.processing(FINGERPRINT, EXPIRY).encode(), 14);
        assertThatThrownBy(() -> IdempotencyRecord.decode(longProcessing)).hasMessageContaining("processing");
        byte[] noStatus = IdempotencyRecord.processing(FINGERPRINT, EXPIRY).encode();
        noStatus[0] = 3;
        assertThatThrownBy(() -> IdempotencyRecord.decode(noStatus)).hasMessageContaining("status");
        byte[] shortReference = Arrays.copyOf(IdempotencyRecord.donePayment(FINGERPRINT, EXPIRY, 201, PAYMENT).encode(), 30);
        assertThatThrownBy(() -> IdempotencyRecord.decode(shortReference)).hasMessageContaining("payment reference");
        byte[] badStatus = IdempotencyRecord.doneBody(FINGERPRINT, EXPIRY, 201, new byte[1]).encode();
        badStatus[13] = 0;
        badStatus[14] = 7;
        assertThatThrownBy(() -> IdempotencyRecord.decode(badStatus)).hasMessageContaining("HTTP status");
    }

    @Test
    void invalidRecordsCannotBeBuilt() {
        assertThatThrownBy(() -> IdempotencyRecord.processing(new byte[16], EXPIRY)).hasMessageContaining("8 bytes");
        assertThatThrownBy(() -> IdempotencyRecord.processing(FINGERPRINT, -1)).hasMessageContaining("time");
        assertThatThrownBy(() -> IdempotencyRecord.processing(FINGERPRINT, 1L << 32)).hasMessageContaining("time");
        assertThatThrownBy(() -> IdempotencyRecord.donePayment(FINGERPRINT, EXPIRY, 201, "acct_3f9a0c1e5b7d4a2c8e6f1a3b5c7d9e0f"))
                .hasMessageContaining("payment id");
        assertThatThrownBy(() -> IdempotencyRecord.donePayment(FINGERPRINT, EXPIRY, 201, "pay_3F9A0C1E5B7D4A2C8E6F1A3B5C7D9E0F"))
                .hasMessageContaining("payment id");
        assertThatThrownBy(() -> IdempotencyRecord.doneBody(FINGERPRINT, EXPIRY, 99, new byte[0])).hasMessageContaining("status");
    }

    @Test
    void keysMapToCompactSlotsScopedByMerchant() {
        String longKey = "k".repeat(255);
        IdempotencySlot slot = IdempotencySlot.of("mer_a", longKey, 65_536);
        assertThat(slot.field()).hasSize(8);
        assertThat(slot.bodyKey()).hasSize(17);
        assertThat(new String(slot.bucket(), StandardCharsets.US_ASCII)).matches("i:[0-9]{1,5}");
        assertThat(IdempotencySlot.of("mer_a", "k1", 65_536)).isEqualTo(IdempotencySlot.of("mer_a", "k1", 65_536))
                .isNotEqualTo(IdempotencySlot.of("mer_b", "k1", 65_536));
        // The separator keeps "ab"+"c" and "a"+"bc" apart.
        assertThat(IdempotencySlot.of("ab", "c", 65_536)).isNotEqualTo(IdempotencySlot.of("a", "bc", 65_536));
        assertThat(IdempotencySlot.of("mer_a", "k1", 1).bucket()).isEqualTo("i:0".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void keysSpreadEvenlyOverTheBuckets() {
        int buckets = 64;
        int[] counts = new int[buckets];
        for (int i = 0; i < 64_000; i++) {
            String bucket = new String(IdempotencySlot.of("mer_a", "key-" + i, buckets).bucket(), StandardCharsets.US_ASCII);
            counts[Integer.parseInt(bucket.substring(2))]++;
        }
        // 1,000 expected each; a fair hash stays well within ±20 %.
        assertThat(Arrays.stream(counts).min().orElseThrow()).isGreaterThan(800);
        assertThat(Arrays.stream(counts).max().orElseThrow()).isLessThan(1_200);
    }

    @Test
    void differentParametersAreReusedInEveryState() {
        assertThat(IdempotencyRecord.processing(FINGERPRINT, EXPIRY).decide(OTHER)).isEqualTo(Decision.REUSED);
        assertThat(IdempotencyRecord.donePayment(FINGERPRINT, EXPIRY, 201, PAYMENT).decide(OTHER)).isEqualTo(Decision.REUSED);
        assertThat(IdempotencyRecord.doneBody(FINGERPRINT, EXPIRY, 404, new byte[1]).decide(OTHER)).isEqualTo(Decision.REUSED);
    }

    @Test
    void sameParametersReplayWhenDoneAndWaitWhileProcessing() {
        assertThat(IdempotencyRecord.donePayment(FINGERPRINT, EXPIRY, 201, PAYMENT).decide(FINGERPRINT)).isEqualTo(Decision.REPLAY);
        assertThat(IdempotencyRecord.processing(FINGERPRINT, EXPIRY).decide(FINGERPRINT)).isEqualTo(Decision.WAIT);
    }

    @Test
    void onlyExecutedResponsesAreStorable() {
        assertThat(IdempotencyRecord.storable(400)).isFalse();
        assertThat(IdempotencyRecord.storable(401)).isFalse();
        assertThat(IdempotencyRecord.storable(429)).isFalse();
        assertThat(IdempotencyRecord.storable(503)).isFalse();
        assertThat(IdempotencyRecord.storable(500)).isFalse();
        assertThat(IdempotencyRecord.storable(201)).isTrue();
        assertThat(IdempotencyRecord.storable(202)).isTrue();
        assertThat(IdempotencyRecord.storable(402)).isTrue();
        assertThat(IdempotencyRecord.storable(404)).isTrue();
    }
}
