package dev.kassa.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads what a {@link BinaryWriter} wrote, field by field in the same order. Every length is checked
 * against the bytes left before anything is allocated, so a damaged record fails with a
 * {@link SerializationException} naming the type — which the topology's and the sink's handlers route
 * to the dead letter topic — never with an {@code OutOfMemoryError} or a wrong value read on.
 */
public final class BinaryReader {

    private final byte[] bytes;
    private final String type;
    private int position;

    /** A reader of {@code bytes}, a {@code type} written after its format byte, which it skips. */
    public BinaryReader(byte[] bytes, String type) {
        this.bytes = bytes;
        this.type = type;
        this.position = 1;
    }

    public byte get() {
        if (position >= bytes.length) {
            throw damaged("it ends early");
        }
        return bytes[position++];
    }

    public long getLong() {
        long zigZag = 0;
        for (int shift = 0; shift < Long.SIZE; shift += 7) {
            byte next = get();
            zigZag |= (long) (next & 0x7F) << shift;
            if ((next & 0x80) == 0) {
                return (zigZag >>> 1) ^ -(zigZag & 1);
            }
        }
        throw damaged("a varint is longer than ten bytes");
    }

    /** A number that must fit an int; {@code field} names it in the error. */
    public int getInt(String field) {
        long value = getLong();
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw damaged(field + " " + value + " is not an int");
        }
        return (int) value;
    }

    public boolean getBoolean() {
        byte value = get();
        if (value != 0 && value != 1) {
            throw damaged("a flag is " + value);
        }
        return value == 1;
    }

    /** A string, or null for none. */
    public String getString() {
        long lengthPlusOne = getLong();
        if (lengthPlusOne == 0) {
            return null;
        }
        if (lengthPlusOne < 0 || lengthPlusOne - 1 > bytes.length - position) {
            throw damaged("a string of " + (lengthPlusOne - 1) + " bytes with " + (bytes.length - position) + " left");
        }
        int length = (int) (lengthPlusOne - 1);
        String value = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    /** A constant of {@code type} by its name, or null for none. */
    public <E extends Enum<E>> E getEnum(Class<E> enumType) {
        String name = getString();
        if (name == null) {
            return null;
        }
        try {
            return Enum.valueOf(enumType, name);
        } catch (IllegalArgumentException e) {
            throw damaged("no " + enumType.getSimpleName() + " is named " + name);
        }
    }

    public Instant getInstant() {
        long seconds = getLong();
        return Instant.ofEpochSecond(seconds, getInt("nanoseconds"));
    }

    /** A list's or map's size, refused when the bytes left could not hold that many entries of one byte each. */
    public int getSize() {
        long size = getLong();
        if (size < 0 || size > bytes.length - position) {
            throw damaged("a list of " + size + " entries with " + (bytes.length - position) + " bytes left");
        }
        return (int) size;
    }

    public List<String> getStrings() {
        int size = getSize();
        List<String> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            values.add(getString());
        }
        return values;
    }

    public Map<String, String> getStringMap() {
        int size = getSize();
        if (size == 0) {
            return Map.of();
        }
        Map<String, String> values = new HashMap<>(size * 2);
        for (int i = 0; i < size; i++) {
            values.put(getString(), getString());
        }
        return values;
    }

    /** Refuses bytes left over after the record: they mean a layout this reader does not know. */
    public void end() {
        if (position != bytes.length) {
            throw damaged((bytes.length - position) + " bytes left over");
        }
    }

    /** A {@link SerializationException} saying why the record cannot be read. */
    public SerializationException damaged(String why) {
        return new SerializationException("cannot read " + type + " (" + bytes.length + " bytes): " + why);
    }

    /** A {@link SerializationException} saying why the record cannot be read, caused by {@code cause}. */
    public SerializationException damaged(RuntimeException cause) {
        return new SerializationException("cannot read " + type + " (" + bytes.length + " bytes): " + cause, cause);
    }
}
