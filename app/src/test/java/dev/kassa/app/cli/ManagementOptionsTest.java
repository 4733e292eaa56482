package dev.kassa.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kassa.app.SharedSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The management listener and the topology's state endpoint bind the loopback unless an operator
 * says otherwise (docs/api.md, Management port), for every service command.
 */
class ManagementOptionsTest {

    @Test
    void everyServiceBindsItsOperatorsListenersToTheLoopbackByDefault() {
        assumeTrue(System.getenv("KASSA_MANAGEMENT_HOST") == null && System.getenv("KASSA_MANAGEMENT_PORT") == null
                        && System.getenv("KASSA_API_HOST") == null,
                "the defaults are what the environment does not set");
        TopologyCommand topology = new TopologyCommand();
        SinkCommand sink = new SinkCommand();
        ApiCommand api = new ApiCommand();
        new CommandLine(topology).parseArgs();
        new CommandLine(sink).parseArgs();
        new CommandLine(api).parseArgs();

        for (ServiceOptions service : new ServiceOptions[] {topology.service, sink.service, api.service}) {
            SharedSettings settings = service.toShared();
            assertThat(settings.managementHost()).isEqualTo("127.0.0.1");
            assertThat(settings.managementPort()).isEqualTo(9090);
        }
        assertThat(api.host).as("the public API still listens on every interface").isEqualTo("0.0.0.0");
    }

    @Test
    void connectorBindsItsManagementListenerToTheLoopbackByDefaultAndFlagsMoveIt() {
        assumeTrue(System.getenv("KASSA_MANAGEMENT_HOST") == null && System.getenv("KASSA_MANAGEMENT_PORT") == null,
                "the defaults are what the environment does not set");
        ConnectorCommand byDefault = new ConnectorCommand();
        new CommandLine(byDefault).parseArgs("--processor-api-key", "k");
        ConnectorCommand moved = new ConnectorCommand();
        new CommandLine(moved).parseArgs("--processor-api-key", "k", "--management-host", "0.0.0.0",
                "--management-port", "9190");

        assertThat(byDefault.management.host).isEqualTo("127.0.0.1");
        assertThat(byDefault.management.port).isEqualTo(9090);
        assertThat(moved.management.host).isEqualTo("0.0.0.0");
        assertThat(moved.management.port).isEqualTo(9190);
    }

    @Test
    void flagsMoveTheManagementListener() {
        SinkCommand sink = new SinkCommand();
        new CommandLine(sink).parseArgs("--management-host", "0.0.0.0", "--management-port", "0");

        SharedSettings settings = sink.toSettings().shared();

        assertThat(settings.managementHost()).isEqualTo("0.0.0.0");
        assertThat(settings.managementPort()).isZero();
    }
}
