package dev.kassa.app.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.model.ReconciliationResult.Item;
import dev.kassa.model.ReconciliationResult.Kind;
import dev.kassa.model.ReconciliationResult.Run;
import dev.kassa.model.ReconciliationResult.State;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The line-by-line comparison and the merge of runs (docs/architecture.md, Reconciliation), on reports
 * written here by hand: each item's kind and state is stated by the test, not computed.
 */
class ComparisonTest {

    private static final String HEADER = SettlementLine.HEADER + "\n";
    private static final String CLEARING = "acct_external_card_usd";

    @Test
    void everyLineAndEveryUnsettledPaymentGetsExactlyTheItemItsCaseNames() {
        String report = HEADER
                + "charge,ch_1,ch_1,pay_matched,1000,usd,59,2026-12-07T09:00:00Z\n"
                + "charge,ch_2,ch_2,pay_lost,2000,usd,88,2026-12-07T09:01:00Z\n"
                + "charge,ch_2,ch_2,pay_lost,2000,usd,88,2026-12-07T09:01:00Z\n"
                + "charge,ch_3,ch_3,pay_more,3001,usd,117,2026-12-07T09:02:00Z\n"
                + "charge,ch_4,ch_4,pay_euro,4000,eur,146,2026-12-07T09:03:00Z\n"
                + "charge,ch_5,ch_5,pay_stranger,500,usd,44,2026-12-07T09:04:00Z\n"
                + "charge,ch_6,ch_6,pay_failed,600,usd,47,2026-12-07T09:05:00Z\n"
                + "charge,ch_7,ch_7,pay_matched,1000,usd,59,2026-12-07T09:06:00Z\n"
                + "refund,re_a,ch_1,pay_matched,-300,usd,0,2026-12-07T10:00:00Z\n"
                + "refund,re_b,ch_1,pay_matched,-200,usd,0,2026-12-07T10:01:00Z\n"
                + "refund,re_c,ch_3,pay_more,-100,usd,0,2026-12-07T10:02:00Z\n";
        Map<String, KassaCardPayment> payments = Map.of(
                "pay_matched", payment("pay_matched", "partially_refunded", 1_000, "usd"),
                "pay_lost", payment("pay_lost", "pending", 2_000, "usd"),
                "pay_more", payment("pay_more", "completed", 3_000, "usd"),
                "pay_euro", payment("pay_euro", "completed", 4_000, "usd"),
                "pay_failed", payment("pay_failed", "failed", 600, "usd"),
                "pay_absent", payment("pay_absent", "completed", 700, "usd"),
                "pay_declined", payment("pay_declined", "failed", 800, "usd"));
        List<KassaCardRefund> refunds = List.of(new KassaCardRefund("ref_1", "pay_matched", 300, "usd"),
                new KassaCardRefund("ref_2", "pay_matched", 250, "usd"),
                new KassaCardRefund("ref_3", "pay_absent", 50, "usd"));

        List<Item> items = Comparison.compare(SettlementLine.parse(report), payments, payments.keySet(), refunds);

        assertThat(items.stream().collect(Collectors.toMap(Item::key, item -> item.kind() + " " + item.state())))
                .isEqualTo(Map.ofEntries(
                        Map.entry("ch_1", "MATCHED RESOLVED"),
                        Map.entry("ch_2", "COMPLETED_BY_RECONCILIATION OPEN"),
                        Map.entry("ch_2#2", "DUPLICATE_LINE OPEN"),
                        Map.entry("ch_3", "AMOUNT_MISMATCH OPEN"),
                        Map.entry("ch_4", "CURRENCY_MISMATCH OPEN"),
                        Map.entry("ch_5", "UNKNOWN_AT_KASSA OPEN"),
                        Map.entry("ch_6", "CHARGED_BUT_FAILED OPEN"),
                        Map.entry("ch_7", "SECOND_CHARGE OPEN"),
                        Map.entry("pay_absent", "MISSING_AT_PROCESSOR OPEN"),
                        Map.entry("re_a", "MATCHED RESOLVED"),
                        Map.entry("re_b", "AMOUNT_MISMATCH OPEN"),
                        Map.entry("re_c", "UNKNOWN_AT_KASSA OPEN"),
                        Map.entry("ref_3", "MISSING_AT_PROCESSOR OPEN")));
        Item mismatch = items.stream().filter(item -> item.key().equals("ch_3")).findFirst().orElseThrow();
        assertThat(List.of(mismatch.kassaAmount(), mismatch.processorAmount())).containsExactly(3_000L, 3_001L);
        Item refundMismatch = items.stream().filter(item -> item.key().equals("re_b")).findFirst().orElseThrow();
        assertThat(List.of(refundMismatch.kassaAmount(), refundMismatch.processorAmount())).containsExactly(-250L, -200L);
    }

    @Test
    void aCompleteReportOfChargedPaymentsLeavesNothingOpenAndIgnoresPaymentsNeverCharged() {
        String report = HEADER + "charge,ch_1,ch_1,pay_1,1000,usd,59,2026-12-07T09:00:00Z\n";
        Map<String, KassaCardPayment> payments = Map.of("pay_1", payment("pay_1", "completed", 1_000, "usd"),
                "pay_declined", payment("pay_declined", "failed", 900, "usd"),
                "pay_review", payment("pay_review", "pending", 900, "usd"));

        List<Item> items = Comparison.compare(SettlementLine.parse(report), payments, payments.keySet(), List.of());

        assertThat(items).extracting(Item::key, Item::kind, Item::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ch_1", Kind.MATCHED, State.RESOLVED));
    }

    @Test
    void aSecondRunThatFindsTheSameItemsChangesNothingAndACompletedPaymentKeepsHowItWasCompleted() {
        Item lost = item("ch_2", Kind.COMPLETED_BY_RECONCILIATION, State.RESOLVED);
        Item missing = item("pay_absent", Kind.MISSING_AT_PROCESSOR, State.OPEN);
        Map<String, Item> recorded = Map.of(lost.key(), lost, missing.key(), missing);

        Merge same = Merge.of(recorded, List.of(item("ch_2", Kind.MATCHED, State.RESOLVED), missing));

        assertThat(same.changed()).isEmpty();
        assertThat(same.items().get("ch_2").kind()).isEqualTo(Kind.COMPLETED_BY_RECONCILIATION);
        assertThat(same.summary(1)).isEqualTo(new Run(1, 0, 1, 1));
        assertThat(same.open()).extracting(Item::key).containsExactly("pay_absent");

        Merge lineArrived = Merge.of(recorded, List.of(item("ch_2", Kind.MATCHED, State.RESOLVED),
                item("ch_9", Kind.MATCHED, State.RESOLVED)));

        assertThat(lineArrived.changed()).extracting(Item::key, Item::state).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("ch_9", State.RESOLVED),
                org.assertj.core.groups.Tuple.tuple("pay_absent", State.RESOLVED));
        assertThat(lineArrived.open()).isEmpty();
    }

    @Test
    void aReportThatIsNoSettlementReportIsRefusedNamingTheLine() {
        assertThatThrownBy(() -> SettlementLine.parse("id,amount\n")).hasMessageContaining("header");
        assertThatThrownBy(() -> SettlementLine.parse(HEADER + "charge,ch_1,ch_1,pay_1,ten,usd,59,2026-12-07T09:00:00Z\n"))
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> SettlementLine.parse(HEADER + "charge,ch_1,ch_1,pay_1,10\n"))
                .hasMessageContaining("line 2 has 5 fields");
        assertThat(Comparison.compare(SettlementLine.parse(HEADER), Map.of(), Set.of(), List.of())).isEmpty();
    }

    private static KassaCardPayment payment(String id, String status, long amount, String currency) {
        return new KassaCardPayment(id, status, amount, currency, CLEARING);
    }

    private static Item item(String key, Kind kind, State state) {
        return new Item(key, kind, state, "pay_" + key, key, 1L, 1L, "usd", "by hand");
    }
}
