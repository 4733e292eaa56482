package dev.kassa.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.bench.setup.Fixture;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaymentPlanTest {

    private final Fixture fixture = new Fixture("mer_1", "sk_1", "acct_own", List.of("acct_s0", "acct_s1", "acct_s2"),
            List.of("acct_d0", "acct_d1"));

    @Test
    void eachSourceAlwaysPaysTheSameDestination() {
        PaymentPlan plan = new PaymentPlan(fixture, false, "k-");
        assertThat(plan.body(1)).contains("\"source\": \"acct_s1\"", "\"destination\": \"acct_d1\"");
        assertThat(plan.body(4)).contains("\"source\": \"acct_s1\"", "\"destination\": \"acct_d1\"");
        assertThat(plan.body(2)).contains("\"source\": \"acct_s2\"", "\"destination\": \"acct_d0\"");
        assertThat(plan.idempotencyKey(7)).isEqualTo("k-7");
    }

    @Test
    void aFlashSalePaysTheMerchantsOwnAccount() {
        PaymentPlan plan = new PaymentPlan(fixture, true, "k-");
        for (long sequence = 0; sequence < 10; sequence++) {
            assertThat(plan.body(sequence)).contains("\"destination\": \"acct_own\"");
        }
    }
}
