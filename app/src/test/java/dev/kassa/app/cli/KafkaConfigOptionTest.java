package dev.kassa.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.app.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --kafka-config FILE} as a user gives it: read into the connections every service starts
 * from, and a file Kassa refuses ends the command at once with exit code 2 and a message naming the
 * file and the key, before any server is contacted. The commands point at a port where nothing
 * listens, so a command that went further would fail otherwise.
 */
class KafkaConfigOptionTest {

    private static final String NO_KAFKA = "127.0.0.1:1";
    private static final String ADMIN_TOKEN = "3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a";

    @TempDir
    Path directory;

    private record Run(int exitCode, String out, String err) {
    }

    @Test
    void theFileGivenByFlagReachesTheConnectionsOfEveryService() throws IOException {
        Path file = write("client.properties", """
                security.protocol=SASL_PLAINTEXT
                sasl.mechanism=PLAIN
                sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \\
                    username="kassa" password="kafka-secret";
                """);
        Map<String, String> expected = Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"kassa\" password=\"kafka-secret\";");

        ApiCommand api = new ApiCommand();
        TopologyCommand topology = new TopologyCommand();
        SinkCommand sink = new SinkCommand();
        new CommandLine(api).parseArgs("--kafka-config", file.toString());
        new CommandLine(topology).parseArgs("--kafka-config", file.toString());
        new CommandLine(sink).parseArgs("--kafka-config", file.toString());

        assertThat(api.service.toShared().kafkaClient().entries()).isEqualTo(expected);
        assertThat(topology.service.toShared().kafkaClient().entries()).isEqualTo(expected);
        assertThat(sink.service.toShared().kafkaClient().entries()).isEqualTo(expected);
    }

    @Test
    void withoutTheFlagNoSettingIsAdded() {
        ApiCommand api = new ApiCommand();
        new CommandLine(api).parseArgs();

        assertThat(api.service.toShared().kafkaClient().entries()).isEmpty();
    }

    @Test
    void aMissingFileEndsTheApiWithItsPath() {
        Path missing = directory.resolve("missing.properties");

        Run run = kassa("api", "--admin-token", ADMIN_TOKEN, "--kafka-bootstrap", NO_KAFKA,
                "--kafka-config", missing.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("kassa api: cannot read Kafka client properties file " + missing
                + ": no such file" + System.lineSeparator());
    }

    @Test
    void aFileTurningIdempotenceOffEndsTheSinkNamingTheKey() throws IOException {
        Path file = write("client.properties", "security.protocol=SSL\nenable.idempotence=false\n");

        Run run = kassa("sink", "--kafka-bootstrap", NO_KAFKA, "--kafka-config", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).startsWith("kassa sink: Kafka client properties " + file
                + ": enable.idempotence is not allowed; Kassa sets enable.idempotence itself");
    }

    @Test
    void anUnknownSecurityProtocolEndsTheTopologyWithKafkasMessage() throws IOException {
        Path file = write("client.properties", "security.protocol=TLS\n");

        Run run = kassa("topology", "--state-port", "-1", "--kafka-bootstrap", NO_KAFKA,
                "--kafka-config", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).startsWith("kassa topology: Kafka client properties " + file
                + ": Invalid value TLS for configuration security.protocol: String must be one of");
    }

    @Test
    void aFileSettingTheIsolationLevelPublishesNoRuleSet() throws IOException {
        Path rules = write("rules.json", RulesCommand.defaultRuleFile());
        Path file = write("client.properties", "isolation.level=read_uncommitted\n");

        Run run = kassa("rules", "push", "--kafka-bootstrap", NO_KAFKA, "--kafka-config", file.toString(),
                rules.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(RulesCommand.EXIT_INVALID);
        assertThat(run.err()).startsWith("kassa rules push: Kafka client properties " + file
                + ": isolation.level is not allowed").contains("nothing published");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(directory.resolve(name), content);
    }

    private static Run kassa(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }
}
