package dev.kassa.app.cli;

import dev.kassa.processor.sim.Faults;
import dev.kassa.processor.sim.ProcessorSandbox;
import dev.kassa.processor.sim.Rate;
import dev.kassa.processor.sim.SandboxSettings;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kassa processor-sim}: the card processor sandbox, a stand-in for an external acquirer reached
 * over HTTP, with idempotent charges, refunds, settlement reports and fault injection
 * (docs/processor-sim.md). Its state lives in {@code --data-dir} and survives restarts.
 */
@Command(name = "processor-sim", mixinStandardHelpOptions = true,
        description = "Run the card processor sandbox (an acquirer's HTTP API with fault injection).")
public final class ProcessorSimCommand implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "${env:KASSA_PROCESSOR_HOST:-" + SandboxSettings.HOST_DEFAULT + "}",
            description = "Address the sandbox listens on (env KASSA_PROCESSOR_HOST, default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "${env:KASSA_PROCESSOR_PORT:-" + SandboxSettings.PORT_DEFAULT + "}",
            description = "Port, 0 for any free one (env KASSA_PROCESSOR_PORT, default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--api-key", defaultValue = "${env:KASSA_PROCESSOR_API_KEY}",
            description = "Bearer key of the /v1 API, required (env KASSA_PROCESSOR_API_KEY).")
    String apiKey;

    @Option(names = "--admin-token", defaultValue = "${env:KASSA_PROCESSOR_ADMIN_TOKEN}",
            description = "Bearer token of /admin/faults, required, not the API key (env KASSA_PROCESSOR_ADMIN_TOKEN).")
    String adminToken;

    @Option(names = "--data-dir", defaultValue = "${env:KASSA_PROCESSOR_DATA_DIR:-./.kassa/processor}",
            description = "Directory of the journal of charges, refunds and idempotency keys "
                    + "(env KASSA_PROCESSOR_DATA_DIR, default ${DEFAULT-VALUE}).")
    Path dataDirectory;

    @Option(names = "--latency-ms", defaultValue = "${env:KASSA_PROCESSOR_LATENCY_MS:-0}",
            description = "Latency added to every /v1 answer (env KASSA_PROCESSOR_LATENCY_MS, default ${DEFAULT-VALUE}).")
    long latencyMs;

    @Option(names = "--error-rate", defaultValue = "${env:KASSA_PROCESSOR_ERROR_RATE:-0}",
            description = "Share of /v1 requests answered 500/503 without acting, a decimal in [0, 1] "
                    + "(env KASSA_PROCESSOR_ERROR_RATE, default ${DEFAULT-VALUE}).")
    String errorRate;

    @Option(names = "--drop-after-commit-rate", defaultValue = "${env:KASSA_PROCESSOR_DROP_AFTER_COMMIT_RATE:-0}",
            description = "Share of new charges and refunds made and stored, then answered by closing the connection "
                    + "(env KASSA_PROCESSOR_DROP_AFTER_COMMIT_RATE, default ${DEFAULT-VALUE}).")
    String dropAfterCommitRate;

    @Option(names = "--timeout-rate", defaultValue = "${env:KASSA_PROCESSOR_TIMEOUT_RATE:-0}",
            description = "Share of /v1 requests done, then answered only after --timeout-ms "
                    + "(env KASSA_PROCESSOR_TIMEOUT_RATE, default ${DEFAULT-VALUE}).")
    String timeoutRate;

    @Option(names = "--timeout-ms", defaultValue = "${env:KASSA_PROCESSOR_TIMEOUT_MS:-30000}",
            description = "How long a timed-out answer is held (env KASSA_PROCESSOR_TIMEOUT_MS, default ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Option(names = "--settlement-missing", defaultValue = "${env:KASSA_PROCESSOR_SETTLEMENT_MISSING:-0}",
            description = "Lines each settlement report leaves out (env KASSA_PROCESSOR_SETTLEMENT_MISSING, default ${DEFAULT-VALUE}).")
    int settlementMissing;

    @Option(names = "--settlement-duplicate", defaultValue = "${env:KASSA_PROCESSOR_SETTLEMENT_DUPLICATE:-0}",
            description = "Lines each settlement report repeats (env KASSA_PROCESSOR_SETTLEMENT_DUPLICATE, default ${DEFAULT-VALUE}).")
    int settlementDuplicate;

    @Option(names = "--settlement-misstated", defaultValue = "${env:KASSA_PROCESSOR_SETTLEMENT_MISSTATED:-0}",
            description = "Lines each settlement report states one minor unit too high, after the repeated ones "
                    + "(env KASSA_PROCESSOR_SETTLEMENT_MISSTATED, default ${DEFAULT-VALUE}).")
    int settlementMisstated;

    @Option(names = "--seed", defaultValue = "${env:KASSA_PROCESSOR_SEED}",
            description = "Seed of the random faults; the same seed and requests inject the same faults "
                    + "(env KASSA_PROCESSOR_SEED, default a random one, printed at start).")
    Long seed;

    @Override
    public Integer call() {
        SandboxSettings settings;
        try {
            settings = toSettings();
        } catch (IllegalArgumentException e) {
            System.err.println("kassa processor-sim: " + e.getMessage());
            return 2;
        }
        ProcessorSandbox sandbox = new ProcessorSandbox(settings).start();
        String url = "http://" + settings.host() + ":" + sandbox.port();
        System.out.println("kassa processor-sim listening on " + url + " (data " + settings.dataDirectory().toAbsolutePath()
                + ", fault seed " + settings.seed() + ", faults " + settings.faults().toJson() + ")");
        System.out.println("READY " + url);
        UntilShutdown.await(sandbox);
        return 0;
    }

    /** The settings the flags describe; an invalid value fails naming its flag's setting. */
    SandboxSettings toSettings() {
        Faults faults = new Faults(latencyMs, Rate.parse("--error-rate", errorRate),
                Rate.parse("--drop-after-commit-rate", dropAfterCommitRate), Rate.parse("--timeout-rate", timeoutRate),
                timeoutMs, settlementMissing, settlementDuplicate, settlementMisstated);
        long faultSeed = seed != null ? seed : new SecureRandom().nextLong();
        return new SandboxSettings(host, port, apiKey, adminToken, dataDirectory, faults, faultSeed);
    }
}
