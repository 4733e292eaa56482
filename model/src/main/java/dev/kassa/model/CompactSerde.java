package dev.kassa.model;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A serde of an internal record — a state store's value or an internal topic's — that writes the
 * compact binary form ({@link BinaryWriter}) and reads both it and JSON, the form earlier releases
 * wrote (docs/architecture.md, Internal record formats). A binary record starts with its format byte,
 * never with <code>{</code>, so the first byte tells them apart; a value read as JSON is written
 * back in the binary form the next time it is stored. Public topics stay JSON and never use this.
 *
 * <p>A subclass may keep writing JSON for values that are rare ({@link #compact}), so that only the
 * hot records need a binary layout.
 */
public abstract class CompactSerde<T> implements BytesSerde<T> {

    private final JsonSerde<T> json;
    private final String type;
    private final byte format;

    /** A serde of {@code type} whose binary records start with {@code format} (1..122, never '{'). */
    protected CompactSerde(Class<T> type, byte format) {
        if (format < 1 || format >= '{') {
            throw new IllegalArgumentException("format byte must be within 1..122: " + format);
        }
        this.json = JsonSerde.of(type);
        this.type = type.getSimpleName();
        this.format = format;
    }

    /** Writes {@code value}'s fields, after the format byte. */
    protected abstract void write(BinaryWriter out, T value);

    /** Reads the fields {@link #write} wrote, in the same order. */
    protected abstract T read(BinaryReader in);

    /** Whether {@code value} is written in the binary form; the others are written as JSON. */
    protected boolean compact(T value) {
        return true;
    }

    @Override
    public byte[] toBytes(T value) {
        if (value == null) {
            return null;
        }
        if (!compact(value)) {
            return json.toBytes(value);
        }
        BinaryWriter out = new BinaryWriter(format);
        write(out, value);
        return out.toByteArray();
    }

    @Override
    public T fromBytes(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length > 0 && bytes[0] == '{') {
            return json.fromBytes(bytes);
        }
        BinaryReader in = new BinaryReader(bytes, type);
        if (bytes.length == 0 || bytes[0] != format) {
            throw in.damaged(bytes.length == 0 ? "no bytes" : "unknown format " + bytes[0]);
        }
        try {
            T value = read(in);
            in.end();
            return value;
        } catch (SerializationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw in.damaged(e);
        }
    }
}
