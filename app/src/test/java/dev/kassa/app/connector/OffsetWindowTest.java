package dev.kassa.app.connector;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The offset the connector commits with its answers never passes an unanswered request, however the
 * answers are ordered (docs/architecture.md, Card payments): what it commits is what a crash may skip.
 */
class OffsetWindowTest {

    @Test
    void committableOffsetStopsAtTheOldestUnansweredRequest() {
        OffsetWindow window = new OffsetWindow();
        for (long offset = 10; offset <= 14; offset++) {
            window.read(offset);
        }

        assertThat(window.answered(12)).isTrue();
        assertThat(window.answered(13)).isTrue();
        assertThat(window.committable()).isEqualTo(10);
        assertThat(window.uncommitted()).isEqualTo(5);

        assertThat(window.answered(10)).isTrue();
        assertThat(window.committable()).as("11 is still open").isEqualTo(11);

        assertThat(window.answered(11)).isTrue();
        assertThat(window.committable()).as("14 is the oldest open request").isEqualTo(14);
        assertThat(window.openCount()).isEqualTo(1);

        assertThat(window.answered(14)).isTrue();
        assertThat(window.committable()).as("everything read is answered").isEqualTo(15);
        assertThat(window.uncommitted()).isZero();
    }

    @Test
    void anAnswerCountsOnceAndOnlyForARequestRead() {
        OffsetWindow window = new OffsetWindow();
        window.read(3);

        assertThat(window.answered(4)).as("never read").isFalse();
        assertThat(window.answered(3)).isTrue();
        assertThat(window.answered(3)).as("answered twice, e.g. by a call made again after a rebalance").isFalse();
        assertThat(window.openCount()).isZero();
    }

    @Test
    void offsetsAreCommittedOnlyWhenTheyMoved() {
        OffsetWindow window = new OffsetWindow();
        assertThat(window.advanced()).as("nothing read").isFalse();
        window.read(7);
        window.read(8);
        window.answered(8);
        assertThat(window.advanced()).as("7, where the group stands, is still open").isFalse();

        window.answered(7);
        assertThat(window.advanced()).isTrue();
        assertThat(window.committable()).isEqualTo(9);
        window.committed(9);
        assertThat(window.advanced()).isFalse();
    }
}
