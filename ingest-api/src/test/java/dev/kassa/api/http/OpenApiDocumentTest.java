package dev.kassa.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.api.error.ErrorCode;
import dev.kassa.model.DeclineCode;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /openapi.json} against the real HTTP server: a valid OpenAPI 3.1 document by a
 * maintained parser (swagger-parser), which documents exactly the routes the server registers, every
 * error code the API answers with, and the idempotency and rate-limit headers.
 */
class OpenApiDocumentTest {

    private static StubbedApi api;
    private static HttpResponse<String> served;
    private static SwaggerParseResult parsed;

    @BeforeAll
    static void fetchTheDocument() throws Exception {
        api = new StubbedApi(settings -> settings);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        served = client.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/openapi.json"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        parsed = new OpenAPIParser().readContents(served.body(), null, options);
    }

    @AfterAll
    static void stopServer() {
        api.close();
    }

    @Test
    void isServedAsAValidOpenApi31Document() {
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/json"));
        assertThat(parsed.getMessages()).as("the parser's complaints").isEmpty();
        assertThat(parsed.getOpenAPI()).isNotNull();
        assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
    }

    @Test
    void documentsEveryRouteTheServerRegistersAndNoOther() {
        Set<String> documented = new TreeSet<>();
        parsed.getOpenAPI().getPaths().forEach((path, item) ->
                item.readOperationsMap().keySet().forEach(method -> documented.add(method.name() + " " + path)));

        Set<String> served = new TreeSet<>(api.routes());
        served.addAll(api.managementRoutes());
        assertThat(documented).isEqualTo(served);
    }

    @Test
    void theManagementRoutesAndOnlyThemNameTheManagementListener() {
        Set<String> onManagement = new TreeSet<>();
        parsed.getOpenAPI().getPaths().forEach((path, item) -> {
            if (item.getServers() != null && item.getServers().stream()
                    .anyMatch(server -> server.getUrl().equals("http://127.0.0.1:9090"))) {
                item.readOperationsMap().keySet().forEach(method -> onManagement.add(method.name() + " " + path));
            }
        });

        assertThat(onManagement).isEqualTo(api.managementRoutes());
    }

    @Test
    void everyRouteDocumentsItsErrorsAndEveryPostItsIdempotencyKey() {
        parsed.getOpenAPI().getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            String route = method + " " + path;
            assertThat(operation.getResponses()).as(route).isNotEmpty();
            if (path.startsWith("/v1") || path.startsWith("/admin")) {
                assertThat(operation.getResponses().keySet()).as(route).contains("401", "429", "500", "503");
            }
            if (method == PathItem.HttpMethod.POST) {
                assertThat(operation.getResponses().keySet()).as(route).contains("400", "408", "409", "413", "415");
                assertThat(headerParameters(operation)).as(route).contains("Idempotency-Key");
                assertThat(operation.getResponses().get("201").getHeaders()).as(route).containsKey("Idempotent-Replayed");
            }
        }));
        assertThat(parsed.getOpenAPI().getComponents().getResponses().get("RateLimited").getHeaders())
                .containsKey("Retry-After");
    }

    @Test
    void everyErrorCodeTheApiAnswersWithIsDocumented() {
        Schema<?> error = parsed.getOpenAPI().getComponents().getSchemas().get("Error");
        Map<String, Schema> fields = error.getProperties().get("error").getProperties();
        List<String> documented = fields.get("code").getEnum().stream().map(String::valueOf).toList();

        assertThat(documented).containsAll(Arrays.stream(ErrorCode.values()).map(ErrorCode::code).toList());
        assertThat(documented).containsAll(Arrays.stream(DeclineCode.values()).map(DeclineCode::code).toList());
        assertThat(documented).contains("invalid_request");
    }

    private static List<String> headerParameters(Operation operation) {
        return operation.getParameters().stream().filter(parameter -> "header".equals(parameter.getIn()))
                .map(parameter -> parameter.getName()).toList();
    }
}
