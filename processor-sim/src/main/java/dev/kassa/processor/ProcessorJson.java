package dev.kassa.processor;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The processor API's JSON: snake_case names, ISO-8601 instants, nulls written out. The sandbox writes
 * with it and {@link HttpCardProcessor} reads with it, so the two agree on every field by construction.
 */
public final class ProcessorJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // A processor may add fields; a client must not break on them.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private ProcessorJson() {
    }

    /** The shared, thread-safe mapper; callers must not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
