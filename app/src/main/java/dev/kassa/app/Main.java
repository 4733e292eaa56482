package dev.kassa.app;

import dev.kassa.app.cli.ApiCommand;
import dev.kassa.app.cli.ConnectorCommand;
import dev.kassa.app.cli.DevCommand;
import dev.kassa.app.cli.LedgerCommand;
import dev.kassa.app.cli.ProcessorSimCommand;
import dev.kassa.app.cli.ReconcileCommand;
import dev.kassa.app.cli.RulesCommand;
import dev.kassa.app.cli.SinkCommand;
import dev.kassa.app.cli.TopologyCommand;
import dev.kassa.model.KafkaClientProperties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code kassa} command: {@code dev} runs everything embedded; {@code api}, {@code topology} and
 * {@code sink} run one service; {@code ledger}, {@code rules} and {@code reconcile} are operators' tools;
 * {@code processor-sim} runs the card processor sandbox and {@code connector} the card connector.
 */
@Command(name = "kassa", mixinStandardHelpOptions = true, version = "kassa 0.1.0",
        description = "Kassa: an exactly-once payment processor on Kafka Streams, Postgres and Redis.",
        subcommands = {DevCommand.class, ApiCommand.class, TopologyCommand.class, SinkCommand.class,
                LedgerCommand.class, RulesCommand.class, ProcessorSimCommand.class, ConnectorCommand.class,
                ReconcileCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line, on which a Kafka client properties file that cannot be read or sets what Kassa
     * refuses ends the command with its message and exit code 2, as a usage error, not a stack trace.
     */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> {
            if (!(exception instanceof KafkaClientProperties.InvalidException)) {
                throw exception;
            }
            failed.getErr().println("kassa " + failed.getCommandName() + ": " + exception.getMessage());
            return 2;
        });
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
