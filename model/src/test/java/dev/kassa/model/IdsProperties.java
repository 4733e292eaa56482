package dev.kassa.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class IdsProperties {

    private static final long YEAR_2500_MILLIS = 16_725_225_600_000L;

    @Property
    void anIdCarriesItsCreationTime(@ForAll @LongRange(min = 0, max = YEAR_2500_MILLIS) long millis) {
        Instant at = Instant.ofEpochMilli(millis);
        String id = Ids.next(Ids.PAYMENT, at);
        assertThat(Ids.isValid(Ids.PAYMENT, id)).isTrue();
        assertThat(Ids.createdAt(id)).isEqualTo(at);
    }

    @Property
    void idsSortByCreationTime(@ForAll @LongRange(min = 0, max = YEAR_2500_MILLIS) long first,
                               @ForAll @LongRange(min = 1, max = 1_000_000) long later) {
        String earlier = Ids.next(Ids.PAYMENT, Instant.ofEpochMilli(first));
        String afterwards = Ids.next(Ids.PAYMENT, Instant.ofEpochMilli(first + later));
        assertThat(earlier).isLessThan(afterwards);
    }

    @Property(tries = 50)
    void anIdIsValidOnlyForItsOwnPrefix(@ForAll @LongRange(min = 0, max = YEAR_2500_MILLIS) long millis) {
        String account = Ids.next(Ids.ACCOUNT, Instant.ofEpochMilli(millis));
        assertThat(Ids.isValid(Ids.ACCOUNT, account)).isTrue();
        assertThat(Ids.isValid(Ids.PAYMENT, account)).isFalse();
        assertThat(Ids.isValid(Ids.ACCOUNT, account + "0")).isFalse();
        assertThat(Ids.isValid(Ids.ACCOUNT, account.toUpperCase())).isFalse();
    }

    @Property(tries = 50)
    void derivedIdsAreStableForTheSameNameAndDistinctForAnother(
            @ForAll @LongRange(min = 0, max = YEAR_2500_MILLIS) long millis, @ForAll String name) {
        Instant at = Instant.ofEpochMilli(millis);
        String id = Ids.derived(Ids.EVENT, at, name);
        assertThat(Ids.derived(Ids.EVENT, at, name)).isEqualTo(id);
        assertThat(Ids.derived(Ids.EVENT, at, name + "x")).isNotEqualTo(id);
        assertThat(Ids.isValid(Ids.EVENT, id)).isTrue();
        assertThat(Ids.createdAt(id)).isEqualTo(at);
    }
}
