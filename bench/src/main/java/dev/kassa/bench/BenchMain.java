package dev.kassa.bench;

import dev.kassa.api.ApiSettings;
import dev.kassa.app.GatewaySettings;
import dev.kassa.app.cli.DurationConverter;
import dev.kassa.bench.drain.DrainResult;
import dev.kassa.bench.drain.SinkDrain;
import dev.kassa.bench.net.DelayProxy;
import dev.kassa.bench.report.ConsoleTable;
import dev.kassa.bench.report.ReportFiles;
import dev.kassa.bench.report.RunResult;
import dev.kassa.bench.report.Summary;
import dev.kassa.ledger.postgres.PostgresSettings;
import dev.kassa.topology.StreamsSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code kassa bench SCENARIO}: drives Kassa's API with one of the load shapes of {@link Scenario}
 * (and the seed's naive design beside it for {@code baseline} and {@code all}), prints a progress
 * line a second and a table at the end, and writes {@code report.json} and {@code report.html}.
 * {@code sink-drain} and {@code all} then replay the whole event log into a fresh ledger with a
 * second sink ({@link SinkDrain}). Exits 0 when every run's checks hold (nothing lost or doubled,
 * the ledger verifies) and the replayed ledger equals the live one, 1 otherwise.
 */
@Command(name = "kassa bench", mixinStandardHelpOptions = true, version = "kassa bench 0.1.0",
        description = "Benchmark Kassa end to end: steady, flash-sale, retry-storm, latency, card, baseline, versus,"
                + " sink-drain, or all.")
public final class BenchMain implements Callable<Integer> {

    private static final String LOGBACK_CONFIGURATION = "dev/kassa/bench/logback-bench.xml";
    private static final List<String> SCENARIOS = List.of("steady", "flash-sale", "retry-storm", "latency", "card", "baseline",
            "versus", "sink-drain", "all");

    /** The command line this was parsed by: its parameter errors print to that line's error stream. */
    @Spec
    CommandSpec commandSpec;

    @Parameters(index = "0",
            description = "steady | flash-sale | retry-storm | latency | card | baseline | versus | sink-drain | all")
    String scenario;

    @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class,
            description = "Load per run, e.g. 60s, 2m (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "20s", converter = DurationConverter.class,
            description = "Unmeasured load of the same shape before each run, on its own merchant and accounts, so the"
                    + " JIT has compiled the hot paths first; 0s for none (default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--warmup-max", converter = DurationConverter.class,
            description = "A warmup goes on past --warmup, 10 s at a time, while the JIT compilers used more than 3 %% of"
                    + " the machine over the last 10 s, up to this long in all; --warmup or less for a fixed warmup"
                    + " (default: twice --warmup).")
    Duration warmupMax;

    @Option(names = "--rate", description = "Open loop at this many payments/s (latency: 2000 unless given).")
    Double rate;

    @Option(names = "--connections", defaultValue = "256",
            description = "Closed loop (when no --rate): concurrent connections (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--max-in-flight", defaultValue = "512",
            description = "Open loop: load threads, each one connection (default ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--sources", defaultValue = "1000", description = "Funded source accounts (default ${DEFAULT-VALUE}).")
    int sources;

    @Option(names = "--destinations", defaultValue = "100", description = "Destination accounts (default ${DEFAULT-VALUE}).")
    int destinations;

    @Option(names = "--client-timeout", defaultValue = "100ms", converter = DurationConverter.class,
            description = "retry-storm: the impatient attempts' timeout (default ${DEFAULT-VALUE}).")
    Duration clientTimeout;

    @Option(names = "--request-timeout", defaultValue = "30s", converter = DurationConverter.class,
            description = "Every other request's timeout (default ${DEFAULT-VALUE}).")
    Duration requestTimeout;

    @Option(names = "--drain-timeout", defaultValue = "120s", converter = DurationConverter.class,
            description = "How long to wait for the ledger to catch up after the load (default ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Option(names = "--drain-sinks", defaultValue = "1",
            description = "sink-drain and all: sink instances replaying the event log together, in one consumer group,"
                    + " 1.." + SinkDrain.SINKS_MAX + " (default ${DEFAULT-VALUE}).")
    int drainSinks;

    @Option(names = "--drain-copies", defaultValue = "0",
            description = "sink-drain and all: copies of payments.events appended before the replay, each a set of"
                    + " payments of its own, so that the drain lasts long enough to measure (e.g. 30 for about two"
                    + " million entries after a 60 s run); 0..1000 (default ${DEFAULT-VALUE}).")
    int drainCopies;

    @Option(names = "--target", description = "Drive a running gateway at this URL instead of starting one.")
    String target;

    @Option(names = "--admin-token", description = "The target's admin token (with --target).")
    String adminToken;

    @Option(names = "--target-management", defaultValue = "http://127.0.0.1:" + ApiSettings.MANAGEMENT_PORT_DEFAULT,
            description = "With --target: the target API's management listener, where /admin is (default ${DEFAULT-VALUE}).")
    String targetManagement;

    @Option(names = "--jdbc-url", description = "With --target: the target's Postgres, to read the ledger back.")
    String jdbcUrl;

    @Option(names = "--jdbc-user", defaultValue = "postgres", description = "With --jdbc-url (default ${DEFAULT-VALUE}).")
    String jdbcUser;

    @Option(names = "--jdbc-password", defaultValue = "", description = "With --jdbc-url.")
    String jdbcPassword;

    @Option(names = "--kafka-bootstrap",
            description = "With --target: publish the bench rule set there first (changes that gateway's rules!).")
    String kafkaBootstrap;

    @Option(names = "--partitions", defaultValue = "" + GatewaySettings.PARTITIONS_DEFAULT,
            description = "Partitions of Kassa's topics when a new data directory creates them (default ${DEFAULT-VALUE}); an"
                    + " existing data directory keeps its count.")
    int partitions;

    @Option(names = "--stream-threads", defaultValue = "" + StreamsSettings.STREAM_THREADS_DEFAULT,
            description = "Kafka Streams threads of the embedded gateway's topology (default ${DEFAULT-VALUE}).")
    int streamThreads;

    @Option(names = "--datastore-rtt", defaultValue = "0s", converter = DurationConverter.class,
            description = "A round-trip time every exchange of Kassa's services and of the baseline with Kafka,"
                    + " Postgres and Redis pays, through a delay proxy in the bench (half each way), e.g. 1ms;"
                    + " 0s for direct connections (default ${DEFAULT-VALUE}). Embedded runtime only.")
    Duration datastoreRoundTrip;

    @Option(names = "--out", defaultValue = "bench-results", description = "Report directory (default ./${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--data-dir",
            description = "Embedded runtime's data directory, kept afterwards (default: a fresh temporary one, deleted).")
    Path dataDirectory;

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGBACK_CONFIGURATION);
        }
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!SCENARIOS.contains(scenario)) {
            throw new CommandLine.ParameterException(commandSpec.commandLine(), "unknown scenario " + scenario
                    + "; one of " + SCENARIOS);
        }
        requireDatastoreRoundTrip();
        List<RunSpec> specs = specs();
        PrintStream console = System.out;
        Path temporary = dataDirectory == null && target == null ? Files.createTempDirectory("kassa-bench-") : null;
        List<RunResult> results = new ArrayList<>();
        try (BenchEnvironment environment = environment(temporary)) {
            console.println("fraud rules: " + environment.rulesText().replaceAll("\\s+", " "));
            console.println("datastores: " + describeDatastores());
            ScenarioRunner runner = new ScenarioRunner(environment, console, warmupPolicy());
            for (RunSpec spec : specs) {
                if (spec.baseline() && !environment.canRunBaseline()) {
                    console.println("skipping " + spec.label() + ": the baseline needs the embedded runtime");
                    continue;
                }
                results.add(runner.run(spec));
            }
            List<DrainResult> drains = drains(environment, console);
            Path reportDirectory = out.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                    + "-" + scenario);
            ReportFiles.write(reportDirectory, results, drains, environment.rulesText(), describe());
            console.println();
            console.print(ConsoleTable.render(results, Summary.ratios(results), drains));
            console.println("report: " + reportDirectory.resolve("report.json") + " and "
                    + reportDirectory.resolve("report.html"));
            return results.stream().allMatch(result -> result.checks().holds())
                    && drains.stream().allMatch(DrainResult::holds) ? 0 : 1;
        } finally {
            if (temporary != null) {
                deleteRecursively(temporary);
            }
        }
    }

    /**
     * {@code sink-drain} and {@code all}: the whole event log the runs produced (warmups included),
     * replayed into a fresh ledger once the gateway is idle.
     */
    private List<DrainResult> drains(BenchEnvironment environment, PrintStream console)
            throws InterruptedException, SQLException {
        if (!scenario.equals("sink-drain") && !scenario.equals("all")) {
            return List.of();
        }
        Optional<SinkDrain> drain = environment.sinkDrain();
        if (drain.isEmpty()) {
            console.println("skipping the sink drain: it replays into the embedded Postgres, not with --target");
            return List.of();
        }
        console.printf("%n== sink drain: %d sink(s) replaying accounts.events and payments.events (%d cop%s of"
                + " payments.events appended) into a fresh ledger%n", drainSinks, drainCopies, drainCopies == 1 ? "y" : "ies");
        return List.of(drain.get().run(drainTimeout, drainSinks, drainCopies));
    }

    /** The runs the scenario argument stands for; baselines right after their Kassa runs. */
    List<RunSpec> specs() {
        List<RunSpec> specs = new ArrayList<>();
        switch (scenario) {
            case "baseline" -> {
                specs.add(spec(Scenario.STEADY).asBaseline());
                specs.add(spec(Scenario.FLASH_SALE).asBaseline());
            }
            // The backlog the sink drains: a steady run's events (and its warmup's).
            case "sink-drain" -> specs.add(spec(Scenario.STEADY));
            // Kassa against the naive design, each shape run by both under the same conditions.
            case "versus" -> specs.addAll(versus());
            case "all" -> {
                specs.addAll(versus());
                specs.add(spec(Scenario.RETRY_STORM));
                specs.add(spec(Scenario.LATENCY));
            }
            default -> specs.add(spec(Scenario.of(scenario)));
        }
        return specs;
    }

    /** Steady and flash-sale, each run by Kassa and then by the baseline. */
    private List<RunSpec> versus() {
        return List.of(spec(Scenario.STEADY), spec(Scenario.STEADY).asBaseline(),
                spec(Scenario.FLASH_SALE), spec(Scenario.FLASH_SALE).asBaseline());
    }

    private RunSpec spec(Scenario shape) {
        double runRate = rate != null ? rate : shape == Scenario.LATENCY ? Scenario.LATENCY_RATE_DEFAULT : 0;
        return new RunSpec(shape, false, runRate, runRate > 0 ? maxInFlight : connections, duration, sources,
                destinations, clientTimeout, requestTimeout, drainTimeout, warmup);
    }

    /** Warmups of at least {@code --warmup}, extended while the JIT is busy up to {@code --warmup-max}. */
    WarmupPolicy warmupPolicy() {
        return new WarmupPolicy(warmupMax != null ? warmupMax : warmup.multipliedBy(2));
    }

    private void requireDatastoreRoundTrip() {
        if (datastoreRoundTrip.isNegative() || datastoreRoundTrip.compareTo(DelayProxy.ROUND_TRIP_MAX) > 0) {
            throw new CommandLine.ParameterException(commandSpec.commandLine(), "--datastore-rtt must be within 0s.."
                    + DelayProxy.ROUND_TRIP_MAX.toSeconds() + "s, was " + datastoreRoundTrip);
        }
        if (target != null && !datastoreRoundTrip.isZero()) {
            throw new CommandLine.ParameterException(commandSpec.commandLine(),
                    "--datastore-rtt needs the embedded runtime; it cannot delay a --target's datastores");
        }
    }

    private BenchEnvironment environment(Path temporary) throws InterruptedException {
        if (target == null) {
            return BenchEnvironment.embedded(temporary != null ? temporary : dataDirectory, partitions, streamThreads,
                    datastoreRoundTrip);
        }
        if (adminToken == null) {
            throw new CommandLine.ParameterException(commandSpec.commandLine(), "--target needs --admin-token");
        }
        PostgresSettings postgres = jdbcUrl == null ? null : PostgresSettings.of(jdbcUrl, jdbcUser, jdbcPassword);
        return BenchEnvironment.target(target, targetManagement, adminToken, postgres, kafkaBootstrap, partitions);
    }

    private Map<String, Object> describe() {
        Map<String, Object> environment = new LinkedHashMap<>();
        environment.put("target", target == null ? "embedded runtime (Kafka, Postgres, Redis in-process)" : target);
        environment.put("cores", Runtime.getRuntime().availableProcessors());
        environment.put("java", System.getProperty("java.version"));
        environment.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        environment.put("partitions", partitions);
        if (target == null) {
            environment.put("stream threads", streamThreads);
            environment.put("datastores", describeDatastores());
        }
        environment.put("warmup per run", warmup + ", then on while the JIT compilers are busy, up to "
                + warmupPolicy().longest());
        return environment;
    }

    /** How the systems under test reach the datastores, e.g. {@code 1 ms round trip (0.5 ms each way) to ...}. */
    String describeDatastores() {
        if (target != null) {
            return "the target's own";
        }
        if (datastoreRoundTrip.isZero()) {
            return "direct (no added round trip)";
        }
        return milliseconds(datastoreRoundTrip) + " round trip (" + milliseconds(datastoreRoundTrip.dividedBy(2))
                + " each way) to Kafka, Postgres and Redis through delay proxies, Kassa's services and the baseline"
                + " alike";
    }

    private static String milliseconds(Duration duration) {
        return BigDecimal.valueOf(duration.toNanos(), 6).stripTrailingZeros().toPlainString() + " ms";
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
