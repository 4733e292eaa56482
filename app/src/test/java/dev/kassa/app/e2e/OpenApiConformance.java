package dev.kassa.app.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The API's OpenAPI document (docs/api.md; served at {@code GET /openapi.json}) held against real
 * answers: for a method, a path template and an answer, the document must describe that status, its
 * schema must accept the body (validated by networknt's JSON Schema validator in the OpenAPI 3.1
 * dialect, {@code $ref}s resolved in the document itself) and every header it marks required must be
 * there. What the document promises is what a client generated from it will expect.
 */
final class OpenApiConformance {

    /** Where ingest-api ships the document. */
    private static final String RESOURCE = "dev/kassa/api/http/openapi.json";

    private final JsonNode document;
    private final SchemaRegistry registry = SchemaRegistry.withDialect(Dialects.getOpenApi31());

    private OpenApiConformance(JsonNode document) {
        this.document = document;
    }

    static OpenApiConformance load() {
        try (InputStream in = OpenApiConformance.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            return new OpenApiConformance(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What is wrong with {@code answer} to {@code method template} by the document, each as a sentence;
     * empty when the document describes it exactly.
     *
     * @param template the path as the document names it, e.g. {@code /v1/payments/{id}}
     */
    List<String> problems(String method, String template, ApiResponse answer) {
        String where = method + " " + template + " → " + answer.status();
        JsonNode operation = document.path("paths").path(template).path(method.toLowerCase(Locale.ROOT));
        if (operation.isMissingNode()) {
            return List.of(where + ": the document has no such operation");
        }
        String responsePointer = "/paths/" + escape(template) + "/" + method.toLowerCase(Locale.ROOT) + "/responses/"
                + answer.status();
        JsonNode response = document.at(responsePointer);
        if (response.isMissingNode()) {
            return List.of(where + ": status not documented (" + answer + ")");
        }
        if (response.has("$ref")) {
            responsePointer = response.path("$ref").asText().substring(1);
            response = document.at(responsePointer);
        }
        List<String> problems = new ArrayList<>();
        JsonNode content = response.path("content").path("application/json");
        if (!content.isMissingNode()) {
            String schemaPointer = responsePointer + "/content/" + escape("application/json") + "/schema";
            Schema schema = registry.getSchema(SchemaLocation.of("classpath:" + RESOURCE + "#" + schemaPointer));
            for (Error error : schema.validate(answer.rawBody(), InputFormat.JSON)) {
                problems.add(where + ": " + error + " in " + answer.rawBody());
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> headers = response.path("headers").fields(); headers.hasNext(); ) {
            Map.Entry<String, JsonNode> header = headers.next();
            JsonNode definition = header.getValue().has("$ref")
                    ? document.at(header.getValue().path("$ref").asText().substring(1)) : header.getValue();
            Optional<String> value = answer.headers().firstValue(header.getKey());
            if (definition.path("required").asBoolean(false) && value.isEmpty()) {
                problems.add(where + ": required header " + header.getKey() + " missing");
            }
        }
        return problems;
    }

    /** A JSON pointer segment: '~' and '/' escaped (RFC 6901). */
    private static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }
}
