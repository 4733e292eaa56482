package dev.kassa.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.api.payments.PaymentStore;
import dev.kassa.api.payments.PaymentStore.KeyedPayment;
import dev.kassa.api.payments.PaymentStore.MerchantKey;
import dev.kassa.testing.LedgerSql;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API's grouped lookup of idempotency keys ({@code PaymentStore.findByIdempotencyKeys}) against the
 * real ledger schema: one statement answers each key the ledger keeps with its own payment and
 * fingerprint, and leaves out a key it does not keep — unknown, another merchant's, or expired.
 */
@Tag("integration")
@ExtendWith(SharedGateway.class)
class PaymentStoreKeysIT {

    private final PaymentStore store;
    private final LedgerSql ledger;

    PaymentStoreKeysIT(TestGateway gateway) {
        this.store = new PaymentStore(gateway.dataSource());
        this.ledger = gateway.ledger();
    }

    @Test
    void eachKeptKeyIsAnsweredWithItsOwnPaymentAndOnlyThose() {
        String suffix = Long.toString(System.nanoTime());
        String merchant = "mer_keys_a_" + suffix;
        String other = "mer_keys_b_" + suffix;
        keep(merchant, "k1", "pay_k1_" + suffix, "fp1", "now() + interval '1 day'");
        keep(merchant, "k2", "pay_k2_" + suffix, null, "now() + interval '1 day'");
        keep(other, "k1", "pay_other_" + suffix, "fp-other", "now() + interval '1 day'");
        keep(merchant, "expired", "pay_expired_" + suffix, "fp3", "now() - interval '1 second'");

        Map<String, KeyedPayment> found = store.findByIdempotencyKeys(List.of(
                        key(merchant, "k1"), key(merchant, "k2"), key(merchant, "unknown"), key(merchant, "expired"),
                        key("mer_nobody_" + suffix, "k1")))
                .entrySet().stream()
                .collect(Collectors.toMap(entry -> entry.getKey().merchantId() + "/" + entry.getKey().idempotencyKey(),
                        Map.Entry::getValue));

        assertThat(found).containsOnly(
                Map.entry(merchant + "/k1", new KeyedPayment("pay_k1_" + suffix, "fp1")),
                Map.entry(merchant + "/k2", new KeyedPayment("pay_k2_" + suffix, null)));
        assertThat(store.findByIdempotencyKeys(List.of(key(other, "k1"))).values())
                .containsExactly(new KeyedPayment("pay_other_" + suffix, "fp-other"));
        assertThat(store.findByIdempotencyKeys(List.of())).isEmpty();
    }

    private void keep(String merchant, String key, String paymentId, String fingerprint, String expiresAt) {
        ledger.update("INSERT INTO idempotency_keys (merchant_id, idempotency_key, payment_id, request_fingerprint,"
                + " created, expires_at) VALUES (?, ?, ?, ?, now() - interval '1 day', " + expiresAt + ")",
                merchant, key, paymentId, fingerprint);
    }

    private static MerchantKey key(String merchant, String key) {
        return new MerchantKey(merchant, key);
    }
}
