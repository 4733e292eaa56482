package dev.kassa.api.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.api.idempotency.IdempotencyRecord.Decision;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IdempotencyRecordTest {

    private static final byte[] FINGERPRINT = IdempotencyRecord.shortFingerprint("00112233445566778899aabbccddeeff0102030405060708090a0b0c0d0e0f10");
    private static final byte[] OTHER = IdempotencyRecord.shortFingerprint("ff112233445566778899aabbccddeeff0102030405060708090a0b0c0d0e0f10");

    @Test
    void doneRecordSurvivesEncodingByteForByte() {
        byte[] body = "{\"id\":\"pay_1\",\"object\":\"payment\"}".getBytes(StandardCharsets.UTF_8);
        IdempotencyRecord done = IdempotencyRecord.done(FINGERPRINT, 402, body);

        byte[] encoded = done.encode();

        assertThat(encoded).hasSize(1 + 16 + 2 + body.length);
        IdempotencyRecord decoded = IdempotencyRecord.decode(encoded);
        assertThat(decoded).isEqualTo(done);
        assertThat(decoded.status()).isEqualTo(402);
        assertThat(decoded.body()).isEqualTo(body);
    }

    @Test
    void processingRecordIsSeventeenBytesAndRoundTrips() {
        IdempotencyRecord processing = IdempotencyRecord.processing(FINGERPRINT);
        assertThat(processing.encode()).hasSize(17);
        assertThat(IdempotencyRecord.decode(processing.encode())).isEqualTo(processing);
    }

    @Test
    void emptyBodyAndHighestStatusRoundTrip() {
        IdempotencyRecord done = IdempotencyRecord.done(FINGERPRINT, 599, new byte[0]);
        assertThat(IdempotencyRecord.decode(done.encode())).isEqualTo(done);
    }

    @Test
    void corruptRecordsAreRejectedWithAReason() {
        assertThatThrownBy(() -> IdempotencyRecord.decode(new byte[3])).hasMessageContaining("at least 17");
        byte[] unknown = IdempotencyRecord.processing(FINGERPRINT).encode();
        unknown[0] = 9;
        assertThatThrownBy(() -> IdempotencyRecord.decode(unknown)).hasMessageContaining("unknown");
        byte[] truncated = new byte[17];
        truncated[0] = 2;
        assertThatThrownBy(() -> IdempotencyRecord.decode(truncated)).hasMessageContaining("status");
    }

    @Test
    void redisKeyIsFixedSizeAndScopedPerMerchant() {
        String longKey = "k".repeat(255);
        assertThat(IdempotencyRecord.redisKey("mer_a", longKey)).hasSize(17);
        assertThat(IdempotencyRecord.redisKey("mer_a", "k1")).hasSize(17)
                .isEqualTo(IdempotencyRecord.redisKey("mer_a", "k1"))
                .isNotEqualTo(IdempotencyRecord.redisKey("mer_b", "k1"));
        // The separator keeps ("ab", "c") and ("a", "bc") apart.
        assertThat(IdempotencyRecord.redisKey("ab", "c")).isNotEqualTo(IdempotencyRecord.redisKey("a", "bc"));
    }

    @Test
    void otherParametersAreReusedWhateverTheState() {
        assertThat(IdempotencyRecord.processing(FINGERPRINT).decide(OTHER)).isEqualTo(Decision.REUSED);
        assertThat(IdempotencyRecord.done(FINGERPRINT, 201, new byte[1]).decide(OTHER)).isEqualTo(Decision.REUSED);
    }

    @Test
    void sameParametersReplayWhenDoneAndWaitWhileProcessing() {
        assertThat(IdempotencyRecord.done(FINGERPRINT, 201, new byte[1]).decide(FINGERPRINT)).isEqualTo(Decision.REPLAY);
        assertThat(IdempotencyRecord.processing(FINGERPRINT).decide(FINGERPRINT)).isEqualTo(Decision.WAIT);
    }

    @Test
    void responsesRejectedBeforeExecutionAreNotStored() {
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
