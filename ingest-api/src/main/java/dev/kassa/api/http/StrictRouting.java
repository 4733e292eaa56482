package dev.kassa.api.http;

import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;

/**
 * The HTTP behaviour every Kassa listener shares — the public API, the management listeners and the
 * topology's state endpoint: a path matches exactly as written (no trailing-slash, double-slash or
 * case folding, so one resource has one URL), a known path with another method answers {@code 405},
 * answers are JSON by default, never compressed and without ETags.
 */
public final class StrictRouting {

    private StrictRouting() {
    }

    /** Applies the shared behaviour to {@code config}, with {@code contentType} as the default answer type. */
    public static void apply(JavalinConfig config, String contentType) {
        config.http.prefer405over404 = true;
        config.http.generateEtags = false;
        config.http.defaultContentType = contentType;
        config.http.compressionStrategy = CompressionStrategy.NONE;
        config.router.ignoreTrailingSlashes = false;
        config.router.treatMultipleSlashesAsSingleSlash = false;
        config.router.caseInsensitiveRoutes = false;
    }
}
