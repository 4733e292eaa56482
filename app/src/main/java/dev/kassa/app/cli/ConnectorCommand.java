package dev.kassa.app.cli;

import dev.kassa.app.Services;
import dev.kassa.app.connector.CardConnector;
import dev.kassa.app.connector.ConnectorSettings;
import dev.kassa.app.reconcile.ReconcileServices;
import dev.kassa.processor.HttpCardProcessor;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kassa connector}: the card connector alone, between Kafka ({@code card.charges} →
 * {@code card.results}) and the card processor over HTTP (docs/architecture.md, Card payments). Exits
 * 1 when it stops unasked, so that a supervisor restarts it; a restart makes every unanswered charge
 * again with the same idempotency key, which charges nothing twice. Its management listener answers
 * {@code /health}, {@code /ready} and {@code /metrics} (docs/api.md, Management port). With
 * {@code --reconcile-daily} it also reconciles the previous UTC day each day (docs/architecture.md, Reconciliation).
 */
@Command(name = "connector", mixinStandardHelpOptions = true,
        description = "Run the card connector (charge requests to the card processor, its answers back to Kafka).",
        defaultValueProvider = SettingsDefaults.class)
public final class ConnectorCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Mixin
    ConnectorOptions connector;

    @Mixin
    ManagementOptions management;

    @Option(names = "--instance-id", defaultValue = "${env:KASSA_INSTANCE_ID:-" + ConnectorSettings.INSTANCE_ID_DEFAULT + "}",
            description = "This connector's stable name; a restarted connector with the same name fences the one it "
                    + "replaces (env KASSA_INSTANCE_ID, default ${DEFAULT-VALUE}).")
    String instanceId;

    @Mixin
    DailyReconcileOptions reconcile;

    @Override
    public Integer call() {
        ConnectorSettings settings;
        try {
            settings = connector.toSettings(kafka.bootstrap, kafka.clientProperties()).withInstanceId(instanceId);
            reconcile.checkedDelay();
        } catch (IllegalArgumentException e) {
            System.err.println("kassa connector: " + e.getMessage());
            return 2;
        }
        Services.RunningConnector running = Services.startConnector(settings, new HttpCardProcessor(
                        settings.processorUrl(), settings.processorApiKey(), settings.requestTimeout(), Duration.ofSeconds(5)),
                CardConnector.Hooks.NONE, management.host, management.port);
        AutoCloseable daily = reconcile.daily ? ReconcileServices.startDaily(reconcile.postgres.toSettings(),
                settings.kafkaBootstrap(), settings.kafkaClient(), settings.processorUrl(), settings.processorApiKey(),
                reconcile.delay) : () -> { };
        System.out.println("kassa connector running: " + settings.kafkaBootstrap() + " → " + settings.processorUrl()
                + ", concurrency " + settings.concurrency() + ", management " + running.management().url()
                + " (/health, /ready, /metrics)" + (reconcile.daily ? ", reconciling each day at 00:00 UTC + "
                + reconcile.delay : ""));
        AutoCloseable services = () -> {
            try (daily; running) {
                // The connector first, then the daily reconciliation.
            }
        };
        return UntilShutdown.await(services, running.failure());
    }
}
