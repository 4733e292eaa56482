package dev.kassa.model;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A serde that writes a value the same way whatever the topic: Kafka's serializer and deserializer
 * are {@link #toBytes} and {@link #fromBytes}, which code and tests can also call directly.
 */
public interface BytesSerde<T> extends Serde<T> {

    /** The bytes of {@code value}; null for null. */
    byte[] toBytes(T value);

    /** The value {@code bytes} hold; null for null. Unreadable bytes raise a {@code SerializationException}. */
    T fromBytes(byte[] bytes);

    @Override
    default Serializer<T> serializer() {
        return (topic, value) -> toBytes(value);
    }

    @Override
    default Deserializer<T> deserializer() {
        return (topic, bytes) -> fromBytes(bytes);
    }
}
