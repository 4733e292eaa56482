package dev.kassa.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kassa.api.ApiSettings;
import dev.kassa.api.RateLimits;
import dev.kassa.api.payments.CardCapabilities;
import dev.kassa.app.ApiServiceSettings;
import dev.kassa.app.GatewaySettings;
import dev.kassa.app.IdempotencySettings;
import dev.kassa.app.SharedSettings;
import dev.kassa.app.SinkServiceSettings;
import dev.kassa.app.TopologyServiceSettings;
import dev.kassa.ledger.sink.SinkSettings;
import dev.kassa.topology.StreamsSettings;
import dev.kassa.topology.TopologySettings;
import dev.kassa.topology.treasury.DepositLimits;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/**
 * {@code kassa api}, {@code kassa topology} and {@code kassa sink} each take only the flags of their
 * own service, and their defaults are the settings records' constants (README, Configuration;
 * CONTRIBUTING.md, Configuration). Parsing only: no service starts.
 */
class ServiceCommandsTest {

    private static final String ADMIN_TOKEN = "service-commands-test-admin-token-7c1e";

    /** Defaults are what no variable sets: a test of them is skipped where one is set. */
    private static void assumeNoKassaVariable() {
        assumeTrue(System.getenv().keySet().stream().noneMatch(name -> name.startsWith("KASSA_")),
                "the defaults are what no KASSA_* variable sets");
    }

    @Test
    void theSinkRefusesTheAdminTokenAsAnUnknownOption() {
        assertThatThrownBy(() -> new CommandLine(new SinkCommand()).parseArgs("--admin-token", "x"))
                .isInstanceOf(UnmatchedArgumentException.class)
                .hasMessageStartingWith("Unknown option").hasMessageContaining("'--admin-token'");
    }

    @Test
    void eachServiceRefusesTheFlagsOfTheOthers() {
        assertThatThrownBy(() -> new CommandLine(new SinkCommand()).parseArgs("--redis-uri", "redis://r:6379"))
                .isInstanceOf(UnmatchedArgumentException.class);
        assertThatThrownBy(() -> new CommandLine(new SinkCommand()).parseArgs("--state-port", "8081"))
                .isInstanceOf(UnmatchedArgumentException.class);
        assertThatThrownBy(() -> new CommandLine(new TopologyCommand()).parseArgs("--jdbc-url", "jdbc:postgresql://p/k"))
                .isInstanceOf(UnmatchedArgumentException.class);
        assertThatThrownBy(() -> new CommandLine(new TopologyCommand()).parseArgs("--wait-ms", "100"))
                .isInstanceOf(UnmatchedArgumentException.class);
        assertThatThrownBy(() -> new CommandLine(new ApiCommand()).parseArgs("--state-dir", "/tmp/state"))
                .isInstanceOf(UnmatchedArgumentException.class);
        assertThatThrownBy(() -> new CommandLine(new ApiCommand()).parseArgs("--instance-id", "api-1"))
                .isInstanceOf(UnmatchedArgumentException.class);
        assertThatThrownBy(() -> new CommandLine(new ApiCommand()).parseArgs("--ledger-key-retention", "30d"))
                .isInstanceOf(UnmatchedArgumentException.class);
    }

    @Test
    void theTopologyWithoutAStateEndpointRunsWithoutAToken() {
        assumeNoKassaVariable();
        TopologyCommand topology = new TopologyCommand();
        new CommandLine(topology).parseArgs("--state-port", "-1");

        assertThat(topology.servesState()).isFalse();
        TopologyServiceSettings settings = topology.toSettings(Optional.empty());
        assertThat(settings.adminToken()).isEmpty();
        assertThat(settings.servesState()).isFalse();
    }

    @Test
    void theTopologysStateEndpointTakesTheTokenAndNeedsIt() {
        assumeNoKassaVariable();
        TopologyCommand topology = new TopologyCommand();
        new CommandLine(topology).parseArgs("--admin-token", ADMIN_TOKEN);

        assertThat(topology.servesState()).isTrue();
        assertThat(topology.toSettings(Optional.of(ADMIN_TOKEN)).adminToken()).contains(ADMIN_TOKEN);
        assertThatThrownBy(() -> topology.toSettings(Optional.empty())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("adminToken");
        TopologyCommand without = new TopologyCommand();
        new CommandLine(without).parseArgs();
        assertThatThrownBy(without.adminToken::requireStrong).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KASSA_ADMIN_TOKEN (or --admin-token)");
    }

    @Test
    void theApisDefaultsAreItsSettingsConstants() {
        assumeNoKassaVariable();
        ApiCommand api = new ApiCommand();
        new CommandLine(api).parseArgs("--admin-token", ADMIN_TOKEN);

        ApiServiceSettings settings = api.toSettings(ADMIN_TOKEN, CardCapabilities.SANDBOX);
        assertShared(settings.shared());
        assertThat(settings.host()).isEqualTo(ApiSettings.HOST_DEFAULT);
        assertThat(settings.port()).isEqualTo(ApiSettings.PORT_DEFAULT);
        assertThat(settings.outcomeWait()).isEqualTo(ApiSettings.OUTCOME_WAIT_DEFAULT);
        assertThat(settings.idempotencyTtl()).isEqualTo(ApiSettings.IDEMPOTENCY_TTL_DEFAULT);
        assertThat(settings.idempotencyBuckets()).isEqualTo(ApiSettings.IDEMPOTENCY_BUCKETS_DEFAULT);
        assertThat(settings.rateLimits()).isEqualTo(RateLimits.DEFAULTS);
    }

    @Test
    void theTopologysDefaultsAreItsSettingsConstants() {
        assumeNoKassaVariable();
        TopologyCommand topology = new TopologyCommand();
        new CommandLine(topology).parseArgs("--admin-token", ADMIN_TOKEN);

        TopologyServiceSettings settings = topology.toSettings(Optional.of(ADMIN_TOKEN));
        assertShared(settings.shared());
        assertThat(settings.instanceId()).isNull();
        assertThat(settings.stateDirectory()).isEqualTo(Path.of(TopologyServiceSettings.STATE_DIRECTORY_DEFAULT));
        assertThat(settings.streamThreads()).isEqualTo(StreamsSettings.STREAM_THREADS_DEFAULT);
        assertThat(settings.statePort()).isEqualTo(TopologyServiceSettings.STATE_PORT_DEFAULT);
        assertThat(settings.dedupeRetention()).isEqualTo(TopologySettings.DEDUPE_RETENTION_DEFAULT);
        assertThat(settings.depositLimits()).isEqualTo(DepositLimits.DEFAULTS);
    }

    @Test
    void theSinksDefaultsAreItsSettingsConstants() {
        assumeNoKassaVariable();
        SinkCommand sink = new SinkCommand();
        new CommandLine(sink).parseArgs();

        SinkServiceSettings settings = sink.toSettings();
        assertShared(settings.shared());
        assertThat(settings.instanceId()).isNull();
        assertThat(settings.keyRetention()).isEqualTo(SinkSettings.KEY_RETENTION_DEFAULT);
    }

    @Test
    void devsDefaultsAreTheSettingsConstants() {
        assumeNoKassaVariable();
        DevCommand dev = new DevCommand();
        new CommandLine(dev).parseArgs();

        assertThat(dev.idempotency.toSettings()).isEqualTo(IdempotencySettings.DEFAULTS);
        assertThat(dev.rateLimits.toLimits()).isEqualTo(RateLimits.DEFAULTS);
        assertThat(dev.depositLimits.toLimits()).isEqualTo(DepositLimits.DEFAULTS);
        assertThat(dev.apiPort).isEqualTo(ApiSettings.PORT_DEFAULT);
        assertThat(dev.statePort).isEqualTo(TopologyServiceSettings.STATE_PORT_DEFAULT);
        assertThat(dev.managementPort).isEqualTo(ApiSettings.MANAGEMENT_PORT_DEFAULT);
        assertThat(dev.streamThreads).isEqualTo(StreamsSettings.STREAM_THREADS_DEFAULT);
        assertThat(dev.partitions).isEqualTo(GatewaySettings.PARTITIONS_DEFAULT);
    }

    @Test
    void theHelpShowsEachDefaultInTheSyntaxTheFlagReads() {
        assumeNoKassaVariable();
        String api = new CommandLine(new ApiCommand()).getUsageMessage(CommandLine.Help.Ansi.OFF);
        String topology = new CommandLine(new TopologyCommand()).getUsageMessage(CommandLine.Help.Ansi.OFF);
        String sink = new CommandLine(new SinkCommand()).getUsageMessage(CommandLine.Help.Ansi.OFF);

        assertThat(squeezed(api)).contains("(env KASSA_REDIS_KEY_TTL, default 24h)")
                .contains("(env KASSA_WAIT_MS, default 2000)")
                .contains("(env KASSA_REDIS_KEY_BUCKETS, default 65536)");
        assertThat(squeezed(topology)).contains("(env KASSA_DEDUPE_RETENTION, default 25h)")
                .contains("(env KASSA_PARTITIONS, default 6)");
        assertThat(squeezed(sink)).contains("(env KASSA_LEDGER_KEY_RETENTION, default 30d)");
    }

    /** Every service's shared flags default to the same constants. */
    private static void assertShared(SharedSettings shared) {
        assertThat(shared.partitions()).isEqualTo(SharedSettings.PARTITIONS_DEFAULT);
        assertThat(shared.replicationFactor()).isEqualTo(SharedSettings.REPLICATION_FACTOR_DEFAULT);
        assertThat(shared.managementHost()).isEqualTo(ApiSettings.MANAGEMENT_HOST_DEFAULT);
        assertThat(shared.managementPort()).isEqualTo(ApiSettings.MANAGEMENT_PORT_DEFAULT);
    }

    /** The help text with its line breaks and indentation folded into single spaces. */
    private static String squeezed(String help) {
        return help.replaceAll("\\s+", " ");
    }
}
