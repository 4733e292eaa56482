package dev.kassa.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.topology.treasury.DepositLimits;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The deposit limit flags of {@code kassa topology} and {@code kassa dev} and their defaults (README, Configuration). */
class DepositLimitOptionsTest {

    @Command(name = "holder")
    static final class Holder {
        @Mixin
        DepositLimitOptions limits;
    }

    @Test
    void withoutFlagsTheDocumentedDefaultsApply() {
        Holder holder = new Holder();
        new CommandLine(holder).parseArgs();

        // The README's table: 10^15 cap, 1,000,000.00 a deposit, 10,000,000.00 a day (cents).
        assertThat(holder.limits.toLimits())
                .isEqualTo(new DepositLimits(1_000_000_000_000_000L, 100_000_000L, 1_000_000_000L));
    }

    @Test
    void flagsSetEachLimitAndOutOfBoundsValuesAreRefusedNamingTheSetting() {
        Holder holder = new Holder();
        new CommandLine(holder).parseArgs("--supply-cap", "500", "--deposit-limit-single", "20",
                "--deposit-limit-daily", "70");
        assertThat(holder.limits.toLimits()).isEqualTo(new DepositLimits(500, 20, 70));

        Holder tooLarge = new Holder();
        new CommandLine(tooLarge).parseArgs("--supply-cap", Long.toString(Long.MAX_VALUE));
        assertThatThrownBy(tooLarge.limits::toLimits).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("supplyCap");
    }
}
