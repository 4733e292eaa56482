package dev.kassa.processor.sim;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything a {@link ProcessorSandbox} is started with: where it listens ({@code port} 0 picks a free
 * one), the merchant API key and the admin token (both required, compared in constant time), the data
 * directory of its journal, the fault settings it starts with and the seed of its random faults.
 */
public record SandboxSettings(String host, int port, String apiKey, String adminToken, Path dataDirectory,
                              Faults faults, long seed) {

    /** Where the sandbox listens unless told: this machine only, port 8090. */
    public static final String HOST_DEFAULT = "127.0.0.1";
    public static final int PORT_DEFAULT = 8090;
    /** The sandbox's address as a connector reaches it on the same machine by default. */
    public static final String URL_DEFAULT = "http://" + HOST_DEFAULT + ":" + PORT_DEFAULT;

    public SandboxSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(faults, "faults");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("the processor sandbox needs an API key (--api-key or KASSA_PROCESSOR_API_KEY)");
        }
        if (adminToken == null || adminToken.isBlank()) {
            throw new IllegalArgumentException("the processor sandbox needs an admin token (--admin-token or KASSA_PROCESSOR_ADMIN_TOKEN)");
        }
        if (apiKey.equals(adminToken)) {
            throw new IllegalArgumentException("the admin token must differ from the API key");
        }
    }
}
