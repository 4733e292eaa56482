package dev.kassa.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.fraud.FeatureSnapshot.Window;
import dev.kassa.model.Money;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class FeatureSnapshotTest {

    private static final Window ONE = new Window(1, 100);

    @Test
    void featureSnapshotRejectsAmountsMoneyWouldReject() {
        assertThatThrownBy(() -> FeatureSnapshot.firstPayment("acct_a", "acct_b", 0, "usd"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("acct_a -> acct_b")
                .hasMessageContaining("amount");
        assertThatThrownBy(() -> FeatureSnapshot.firstPayment("acct_a", "acct_b", Money.AMOUNT_MAX + 1, "usd"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void featureSnapshotRejectsNonCanonicalCurrency() {
        assertThatThrownBy(() -> FeatureSnapshot.firstPayment("acct_a", "acct_b", 100, "USD"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("USD");
    }

    @Test
    void featureSnapshotRejectsMissingAccountsAndWindows() {
        assertThatThrownBy(() -> FeatureSnapshot.firstPayment(null, "acct_b", 100, "usd")).hasMessageContaining("sourceAccountId");
        assertThatThrownBy(() -> FeatureSnapshot.firstPayment("acct_a", null, 100, "usd")).hasMessageContaining("destinationAccountId");
        assertThatThrownBy(() -> new FeatureSnapshot("acct_a", "acct_b", 100, "usd", null, ONE, ONE, 1, false, 0))
                .hasMessageContaining("acct_a -> acct_b").hasMessageContaining("lastMinute");
        assertThatThrownBy(() -> new FeatureSnapshot("acct_a", "acct_b", 100, "usd", ONE, null, ONE, 1, false, 0))
                .hasMessageContaining("lastHour");
        assertThatThrownBy(() -> new FeatureSnapshot("acct_a", "acct_b", 100, "usd", ONE, ONE, null, 1, false, 0))
                .hasMessageContaining("lastDay");
    }

    @Test
    void windowAlwaysHoldsThePaymentBeingJudged() {
        assertThatThrownBy(() -> new Window(0, 100)).hasMessageContaining("count").hasMessageContaining("0");
        assertThatThrownBy(() -> new Window(1, -1)).hasMessageContaining("sum").hasMessageContaining("-1");
    }

    @Test
    void shorterWindowNeverCountsMoreThanALongerOne() {
        assertThatThrownBy(() -> snapshot(new Window(3, 100), new Window(2, 100), new Window(5, 100), 1, 0))
                .hasMessageContaining("acct_a -> acct_b").hasMessageContaining("window counts").hasMessageContaining("3, 2, 5");
        assertThatThrownBy(() -> snapshot(new Window(1, 100), new Window(6, 100), new Window(5, 100), 1, 0))
                .hasMessageContaining("window counts");
    }

    @Test
    void shorterWindowNeverSumsMoreThanALongerOne() {
        assertThatThrownBy(() -> snapshot(new Window(1, 300), new Window(1, 200), new Window(1, 500), 1, 0))
                .hasMessageContaining("window sums").hasMessageContaining("300, 200, 500");
        assertThatThrownBy(() -> snapshot(new Window(1, 100), new Window(1, 600), new Window(1, 500), 1, 0))
                .hasMessageContaining("window sums");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, FeatureSnapshot.DISTINCT_DESTINATIONS_MAX + 1})
    void distinctDestinationsStayWithinOneAndTheTrackedMaximum(int distinct) {
        assertThatThrownBy(() -> snapshot(ONE, ONE, ONE, distinct, 0))
                .hasMessageContaining("acct_a -> acct_b").hasMessageContaining("distinctDestinationsLastHour")
                .hasMessageContaining(String.valueOf(distinct));
    }

    @Test
    void distinctDestinationsMayReachTheTrackedMaximum() {
        assertThat(snapshot(ONE, ONE, ONE, FeatureSnapshot.DISTINCT_DESTINATIONS_MAX, 0).distinctDestinationsLastHour())
                .isEqualTo(FeatureSnapshot.DISTINCT_DESTINATIONS_MAX);
    }

    @Test
    void declinesAreNeverNegative() {
        assertThatThrownBy(() -> snapshot(ONE, ONE, ONE, 1, -1))
                .hasMessageContaining("acct_a -> acct_b").hasMessageContaining("declinesLastHour");
    }

    @Test
    void firstPaymentHoldsJustThisPaymentInEveryWindow() {
        FeatureSnapshot first = FeatureSnapshot.firstPayment("acct_a", "acct_b", 1_250, "eur");

        assertThat(first).isEqualTo(new FeatureSnapshot("acct_a", "acct_b", 1_250, "eur",
                new Window(1, 1_250), new Window(1, 1_250), new Window(1, 1_250), 1, false, 0));
    }

    @Test
    void byNameListsEveryFeatureInFeatureOrderWithBooleansAsBooleans() {
        FeatureSnapshot snapshot = new FeatureSnapshot("acct_a", "acct_b", 700, "usd",
                new Window(2, 900), new Window(3, 1_900), new Window(4, 2_900), 2, true, 5);

        Map<String, Object> byName = snapshot.byName();

        List<String> featureOrder = new ArrayList<>(Arrays.stream(Feature.values()).map(Feature::ruleName).toList());
        assertThat(byName.keySet()).containsExactlyElementsOf(featureOrder);
        assertThat(byName).containsExactly(
                Map.entry("amount", 700L), Map.entry("count_1m", 2L), Map.entry("sum_1m", 900L),
                Map.entry("count_1h", 3L), Map.entry("sum_1h", 1_900L), Map.entry("count_24h", 4L),
                Map.entry("sum_24h", 2_900L), Map.entry("distinct_destinations_1h", 2L),
                Map.entry("paid_destination_before", true), Map.entry("declines_1h", 5L));
    }

    @ParameterizedTest
    @EnumSource(Feature.class)
    void everyFeatureReadsTheValueItWasGiven(Feature feature) {
        long value = feature.kind() == Feature.Kind.BOOLEAN ? 0 : 17;

        assertThat(feature.valueOf(Snapshots.with(feature, value))).isEqualTo(value);
        assertThat(Feature.byRuleName(feature.ruleName())).contains(feature);
    }

    private static FeatureSnapshot snapshot(Window minute, Window hour, Window day, int distinct, int declines) {
        return new FeatureSnapshot("acct_a", "acct_b", 100, "usd", minute, hour, day, distinct, false, declines);
    }
}
