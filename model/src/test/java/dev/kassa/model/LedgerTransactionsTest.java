package dev.kassa.model;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerTransactionsTest {

    @Test
    void balancedEntriesPass() {
        assertThatCode(() -> LedgerTransactions.requireBalanced("evt_1", List.of(
                new LedgerEntry("a", -500, "usd"), new LedgerEntry("b", 500, "usd"),
                new LedgerEntry("c", -7, "jpy"), new LedgerEntry("d", 7, "jpy")))).doesNotThrowAnyException();
    }

    @Test
    void entriesThatDoNotSumToZeroInEveryCurrencyAreRejected() {
        assertThatThrownBy(() -> LedgerTransactions.requireBalanced("evt_2", List.of(
                new LedgerEntry("a", -500, "usd"), new LedgerEntry("b", 500, "eur"))))
                .hasMessageContaining("evt_2").hasMessageContaining("does not sum to zero");
        assertThatThrownBy(() -> LedgerTransactions.requireBalanced("evt_3", List.of(new LedgerEntry("a", 1, "usd"))))
                .hasMessageContaining("evt_3");
    }

    @Test
    void anEntryMustMoveMoney() {
        assertThatThrownBy(() -> new LedgerEntry("a", 0, "usd")).hasMessageContaining("a");
    }
}
