package dev.kassa.api.http;

import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code /openapi.json}, the OpenAPI 3.1 document of the whole API, on the public port. The operators'
 * {@code /health}, {@code /ready} and {@code /metrics} are on the management listener
 * ({@link ManagementServer}; docs/api.md, Management port).
 */
final class OperationsRoutes {

    /** The OpenAPI document, a resource beside this class; a test holds it to the routes the server registers. */
    static final String OPENAPI_RESOURCE = "openapi.json";
    private static final byte[] OPENAPI = openApi();

    void register(RoutesConfig routes) {
        routes.get("/openapi.json", ctx -> ctx.contentType(ErrorMapper.JSON).result(OPENAPI));
    }

    private static byte[] openApi() {
        try (InputStream in = OperationsRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + OPENAPI_RESOURCE + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OpenAPI document", e);
        }
    }
}
