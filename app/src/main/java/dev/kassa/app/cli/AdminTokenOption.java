package dev.kassa.app.cli;

import dev.kassa.api.auth.AdminTokens;
import picocli.CommandLine.Option;

/**
 * The admin token, for the API's {@code /admin} and the topology's state endpoint; defaults to its
 * environment variable. {@code kassa sink} takes none.
 */
public final class AdminTokenOption {

    @Option(names = "--admin-token", defaultValue = "${env:KASSA_ADMIN_TOKEN}",
            description = "Bearer token of the /admin endpoints and the topology's state endpoint, at least "
                    + AdminTokens.LENGTH_MIN + " random characters, e.g. openssl rand -hex 32 (env KASSA_ADMIN_TOKEN).")
    String adminToken;

    /** Refuses a missing or weak token ({@link AdminTokens}), naming the flag and its variable. */
    String requireStrong() {
        AdminTokens.requireStrong("KASSA_ADMIN_TOKEN (or --admin-token)", adminToken);
        return adminToken;
    }
}
