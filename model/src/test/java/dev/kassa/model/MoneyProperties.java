package dev.kassa.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class MoneyProperties {

    @Property
    void everyAmountWithinBoundsIsMoney(@ForAll @LongRange(min = 1, max = Money.AMOUNT_MAX) long amount) {
        Money money = new Money(amount, "usd");
        assertThat(money.amount()).isEqualTo(amount);
        assertThat(Money.isValidAmount(amount)).isTrue();
    }

    @Property
    void noAmountBelowOneIsMoney(@ForAll @LongRange(min = Long.MIN_VALUE, max = 0) long amount) {
        assertThat(Money.isValidAmount(amount)).isFalse();
        assertThatThrownBy(() -> new Money(amount, "usd")).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void noAmountAboveTheMaximumIsMoney(@ForAll @LongRange(min = Money.AMOUNT_MAX + 1, max = Long.MAX_VALUE) long amount) {
        assertThat(Money.isValidAmount(amount)).isFalse();
        assertThatThrownBy(() -> new Money(amount, "jpy")).isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 20)
    void moneyNeedsACanonicalCurrency(@ForAll @LongRange(min = 1, max = 1000) long amount) {
        assertThatThrownBy(() -> new Money(amount, "USD")).hasMessageContaining("USD");
        assertThatThrownBy(() -> new Money(amount, "xau")).hasMessageContaining("xau");
    }
}
