package dev.kassa.model;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A Kafka serde writing a record as UTF-8 JSON with {@link Json#mapper()}. Unreadable bytes raise
 * {@link SerializationException}, which the topology's and the sink's handlers route to the dead
 * letter topic instead of dropping.
 */
public final class JsonSerde<T> implements BytesSerde<T> {

    private final Class<T> type;
    private final ObjectWriter writer;
    private final ObjectReader reader;

    private JsonSerde(Class<T> type) {
        this.type = type;
        this.writer = Json.mapper().writerFor(type);
        this.reader = Json.mapper().readerFor(type);
    }

    public static <T> JsonSerde<T> of(Class<T> type) {
        return new JsonSerde<>(type);
    }

    @Override
    public byte[] toBytes(T value) {
        if (value == null) {
            return null;
        }
        try {
            return writer.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new SerializationException("cannot write " + type.getSimpleName() + " as JSON", e);
        }
    }

    @Override
    public T fromBytes(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return reader.readValue(bytes);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot read " + type.getSimpleName() + " from JSON: " + e.getMessage(), e);
        }
    }
}
