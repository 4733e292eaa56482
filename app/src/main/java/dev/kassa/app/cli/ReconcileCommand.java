package dev.kassa.app.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.kassa.app.reconcile.Reconciler;
import dev.kassa.model.KafkaClientProperties;
import dev.kassa.model.ReconciliationResult.Item;
import dev.kassa.model.ReconciliationResult.Run;
import dev.kassa.processor.CardProcessorException;
import dev.kassa.processor.HttpCardProcessor;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kassa reconcile --date D}: reconciles the card payments and refunds of UTC day {@code D} against
 * the card processor's settlement report (docs/architecture.md, Reconciliation), prints a summary and
 * each open discrepancy, and exits {@value #EXIT_RECONCILED} when none is open, {@value #EXIT_OPEN} while
 * any is, {@value #EXIT_USAGE} for bad arguments, {@value #EXIT_FAILED} when the run could not be made
 * (the processor, Kafka or Postgres failed; nothing was recorded).
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true, defaultValueProvider = SettingsDefaults.class,
        description = "Reconcile a day's card payments and refunds against the card processor's settlement report.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:nothing is open for the day", "1:discrepancies are open for an operator",
                "2:bad arguments", "3:the run failed (processor, Kafka or Postgres); nothing was recorded"})
public final class ReconcileCommand implements Callable<Integer> {

    static final int EXIT_RECONCILED = 0;
    static final int EXIT_OPEN = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_FAILED = 3;
    private static final Duration REPORT_TIMEOUT = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD",
            description = "The UTC day to reconcile: today or earlier.")
    String date;

    @Option(names = "--completion-wait", converter = DurationConverter.class,
            defaultValue = "${env:KASSA_RECONCILE_COMPLETION_WAIT}",
            description = "How long to wait for a payment completed by reconciliation to show completed in the ledger "
                    + "before leaving it open, 0-10m (env KASSA_RECONCILE_COMPLETION_WAIT, default ${DEFAULT-VALUE}).")
    Duration completionWait;

    /** For the crash tests: stop for good once the completions are published, to be killed there. */
    @Option(names = "--test-hold-after-completions", hidden = true)
    boolean holdAfterCompletions;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    PostgresOptions postgres;

    @Mixin
    ProcessorOptions processor;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        LocalDate day;
        KafkaClientProperties kafkaClient;
        try {
            day = day();
            kafkaClient = kafka.clientProperties();
            Reconciler.requireCompletionWait(completionWait);
            if (processor.processorApiKey == null || processor.processorApiKey.isBlank()) {
                throw new IllegalArgumentException("--processor-api-key (or KASSA_PROCESSOR_API_KEY) is required");
            }
        } catch (IllegalArgumentException e) {
            err.println("kassa reconcile: " + e.getMessage());
            return EXIT_USAGE;
        }
        try (HikariDataSource pool = postgres.toSettings().openPool();
             KafkaProducer<String, byte[]> producer = Reconciler.producer(kafka.bootstrap, kafkaClient)) {
            HttpCardProcessor cards = new HttpCardProcessor(processor.processorUrl, processor.processorApiKey,
                    REPORT_TIMEOUT, Duration.ofSeconds(5));
            Reconciler.Outcome outcome = new Reconciler(cards, pool, producer, completionWait, clock, hooks()).run(day);
            spec.commandLine().getOut().print(summary(outcome));
            spec.commandLine().getOut().flush();
            return outcome.open().isEmpty() ? EXIT_RECONCILED : EXIT_OPEN;
        } catch (SQLException | CardProcessorException | KafkaException | IllegalStateException
                 | IllegalArgumentException e) {
            err.println("kassa reconcile: the reconciliation of " + day + " failed, nothing was recorded: " + e.getMessage());
            return EXIT_FAILED;
        }
    }

    /** The {@code --date}, checked: a day as YYYY-MM-DD, not after today (UTC). */
    private LocalDate day() {
        LocalDate day;
        try {
            day = LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--date must be a day as YYYY-MM-DD, e.g. 2026-12-07; got " + date);
        }
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        if (day.isAfter(today)) {
            throw new IllegalArgumentException("--date " + day + " is in the future (today is " + today
                    + " UTC); a day can be reconciled once it has begun");
        }
        return day;
    }

    private Reconciler.Hooks hooks() {
        if (!holdAfterCompletions) {
            return Reconciler.Hooks.NONE;
        }
        return paymentIds -> {
            System.out.println("kassa reconcile: completions published for " + paymentIds + "; holding");
            System.out.flush();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** What the command prints: the day's summary, then one line per open discrepancy. */
    static String summary(Reconciler.Outcome outcome) {
        Run run = outcome.run();
        StringBuilder text = new StringBuilder(String.format("reconciliation of %s: %d report lines, %d matched,"
                        + " %d completed by reconciliation, %d open%n", outcome.day(), run.reportLines(), run.matched(),
                run.completed(), run.open()));
        List<Item> open = outcome.open();
        for (Item item : open) {
            text.append(String.format("OPEN %-27s %-32s %s%n", item.kind().code(), item.key(), item.detail()));
        }
        text.append(open.isEmpty() ? "nothing open" : open.size() + " discrepancies open for an operator").append('\n');
        return text.toString();
    }
}
