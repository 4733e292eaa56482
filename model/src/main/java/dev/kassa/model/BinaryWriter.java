package dev.kassa.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes the compact binary form of Kassa's internal records (docs/architecture.md, Internal record
 * formats): every number a zig-zag varint, as in Kafka's record format (seven bits a byte, low
 * first); a string its UTF-8 length plus one, then the bytes, and 0 for none; an instant its epoch
 * seconds and nanoseconds; a list or map its size, then its entries. No field names and no
 * reflection: the reader reads the fields back in the order they were written. The bytes go into one
 * array that doubles when full, so a record is written in one pass whatever its size.
 */
public final class BinaryWriter {

    private byte[] bytes;
    private int size;

    /** A writer whose first byte is {@code format}, the version of the layout that follows. */
    public BinaryWriter(byte format) {
        this.bytes = new byte[256];
        put(format);
    }

    public BinaryWriter put(byte value) {
        ensureRoomFor(1);
        bytes[size++] = value;
        return this;
    }

    public BinaryWriter putLong(long value) {
        ensureRoomFor(10);
        long zigZag = (value << 1) ^ (value >> 63);
        while ((zigZag & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((zigZag & 0x7F) | 0x80);
            zigZag >>>= 7;
        }
        bytes[size++] = (byte) zigZag;
        return this;
    }

    public BinaryWriter putBoolean(boolean value) {
        return put((byte) (value ? 1 : 0));
    }

    /** {@code value}, or none when null. */
    public BinaryWriter putString(String value) {
        if (value == null) {
            return putLong(0);
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        putLong(utf8.length + 1L);
        ensureRoomFor(utf8.length);
        System.arraycopy(utf8, 0, bytes, size, utf8.length);
        size += utf8.length;
        return this;
    }

    /** {@code value}'s constant name, or none when null: names survive a reordering of the constants. */
    public BinaryWriter putEnum(Enum<?> value) {
        return putString(value == null ? null : value.name());
    }

    /** {@code value} as epoch seconds and nanoseconds; it must not be null. */
    public BinaryWriter putInstant(Instant value) {
        return putLong(value.getEpochSecond()).putLong(value.getNano());
    }

    public BinaryWriter putStrings(List<String> values) {
        putLong(values.size());
        for (String value : values) {
            putString(value);
        }
        return this;
    }

    /** {@code values}'s entries in its iteration order; a null map is written as an empty one. */
    public BinaryWriter putStringMap(Map<String, String> values) {
        if (values == null) {
            return putLong(0);
        }
        putLong(values.size());
        for (Map.Entry<String, String> entry : values.entrySet()) {
            putString(entry.getKey());
            putString(entry.getValue());
        }
        return this;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void ensureRoomFor(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, size + more));
        }
    }
}
