package dev.kassa.app.cli;

import dev.kassa.app.connector.CardConnector;
import dev.kassa.app.connector.ConnectorSettings;
import dev.kassa.processor.HttpCardProcessor;
import dev.kassa.processor.sim.Faults;
import dev.kassa.processor.sim.ProcessorSandbox;
import dev.kassa.processor.sim.SandboxSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

/**
 * The card side of {@code kassa dev}: the processor sandbox in this process (its journal in
 * {@code <data-dir>/processor}, so charges survive restarts like the rest of the data) and the card
 * connector against it. In-process rather than a child: one process to stop, and the sandbox is still
 * reached only over HTTP, on 127.0.0.1. Its keys are derived from the data directory's admin token, so
 * they are stable across restarts and secret like it. {@code kassa bench}'s card scenario runs the same
 * pair beside its embedded gateway.
 */
public final class DevCards implements AutoCloseable {

    private final ProcessorSandbox sandbox;
    private final CardConnector connector;
    private final URI url;
    private final String apiKey;
    private final String adminToken;

    private DevCards(ProcessorSandbox sandbox, CardConnector connector, URI url, String apiKey, String adminToken) {
        this.sandbox = sandbox;
        this.connector = connector;
        this.url = url;
        this.apiKey = apiKey;
        this.adminToken = adminToken;
    }

    /**
     * Starts the sandbox on {@code port} (0: a free one) with its journal in {@code <dataDirectory>/processor},
     * and a connector from {@code kafkaBootstrap} to it; keys derived from {@code devAdminToken}.
     */
    public static DevCards start(Path dataDirectory, int port, String devAdminToken, String kafkaBootstrap) {
        String apiKey = "sk_sandbox_" + derived(devAdminToken, "processor-api-key");
        String adminToken = "adm_sandbox_" + derived(devAdminToken, "processor-admin-token");
        ProcessorSandbox sandbox = new ProcessorSandbox(new SandboxSettings("127.0.0.1", port, apiKey, adminToken,
                dataDirectory.resolve("processor"), Faults.NONE, new SecureRandom().nextLong())).start();
        URI url = URI.create("http://127.0.0.1:" + sandbox.port());
        try {
            ConnectorSettings settings = ConnectorSettings.of(kafkaBootstrap, url, apiKey);
            CardConnector connector = CardConnector.start(settings, new HttpCardProcessor(url, apiKey,
                    settings.requestTimeout(), Duration.ofSeconds(5)), CardConnector.Hooks.NONE);
            return new DevCards(sandbox, connector, url, apiKey, adminToken);
        } catch (RuntimeException e) {
            sandbox.close();
            throw e;
        }
    }

    private static String derived(String secret, String purpose) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((secret + ":" + purpose).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public URI url() {
        return url;
    }

    String apiKey() {
        return apiKey;
    }

    String adminToken() {
        return adminToken;
    }

    public CompletableFuture<String> failure() {
        return connector.failure();
    }

    /** The connector first (it calls the sandbox), then the sandbox. */
    @Override
    public void close() {
        try {
            connector.close();
        } finally {
            sandbox.close();
        }
    }
}
