package dev.kassa.topology.accounts;

import dev.kassa.model.BytesSerde;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * {@link AccountFacts} in the {@code account-directory} store: a format byte, the negative flag, the
 * merchant id and the currency as modified UTF-8. The store is read once per payment, so it holds a
 * few dozen bytes instead of an account's JSON.
 */
public final class AccountFactsSerde implements BytesSerde<AccountFacts> {

    private static final byte FORMAT = 1;

    @Override
    public byte[] toBytes(AccountFacts facts) {
        if (facts == null) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeBoolean(facts.allowNegative());
            out.writeUTF(facts.merchantId());
            out.writeUTF(facts.currency());
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    @Override
    public AccountFacts fromBytes(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new SerializationException("unknown account facts format " + format);
            }
            boolean allowNegative = in.readBoolean();
            AccountFacts facts = new AccountFacts(in.readUTF(), in.readUTF(), allowNegative);
            if (in.available() > 0) {
                throw new SerializationException("account facts followed by " + in.available() + " unread bytes");
            }
            return facts;
        } catch (IOException | IllegalArgumentException e) {
            throw new SerializationException("cannot read account facts: " + e.getMessage(), e);
        }
    }
}
