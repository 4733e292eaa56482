package dev.kassa.model;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Prefixed identifiers ({@code pay_…}, {@code acct_…}, {@code evt_…}, {@code mer_…}). The part after
 * the prefix is a UUIDv7 written as 32 lower-case hex digits: the first 48 bits are the creation time
 * in milliseconds, so ids of one type sort by creation time and the creation date can be read back
 * from an id (the ledger partitions its tables by that date).
 */
public final class Ids {

    public static final String PAYMENT = "pay_";
    public static final String ACCOUNT = "acct_";
    public static final String EVENT = "evt_";
    public static final String MERCHANT = "mer_";
    public static final String REFUND = "re_";
    public static final String LEDGER_TRANSACTION = "txn_";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    private static final Pattern BODY = Pattern.compile("[0-9a-f]{32}");

    private Ids() {
    }

    /** A new id with {@code prefix}, created now. */
    public static String next(String prefix) {
        return next(prefix, Instant.now());
    }

    /** A new id with {@code prefix} whose embedded time is {@code at}. */
    public static String next(String prefix, Instant at) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return prefix + HEX.formatHex(withTimeAndVersion(bytes, at, 7));
    }

    /**
     * A deterministic id: the same {@code prefix}, time and {@code name} always give the same id. The
     * topology derives event ids from the payment id and the event's sequence, so an event that were
     * ever produced twice would carry the same id and the sink's unique constraint would catch it.
     */
    public static String derived(String prefix, Instant at, String name) {
        byte[] bytes;
        try {
            bytes = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        return prefix + HEX.formatHex(withTimeAndVersion(java.util.Arrays.copyOf(bytes, 16), at, 8));
    }

    private static byte[] withTimeAndVersion(byte[] bytes, Instant at, int version) {
        long millis = at.toEpochMilli();
        for (int i = 0; i < 6; i++) {
            bytes[i] = (byte) (millis >>> (8 * (5 - i)));
        }
        bytes[6] = (byte) ((bytes[6] & 0x0f) | (version << 4));
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80); // IETF variant
        return bytes;
    }

    /** True when {@code id} is a well-formed id of the given prefix. */
    public static boolean isValid(String prefix, String id) {
        return id != null && id.startsWith(prefix) && BODY.matcher(id.substring(prefix.length())).matches();
    }

    /** The creation time embedded in a well-formed id. */
    public static Instant createdAt(String id) {
        int start = id.indexOf('_') + 1;
        if (start <= 0 || id.length() - start != 32) {
            throw new IllegalArgumentException("not a Kassa id: " + id);
        }
        long millis = Long.parseLong(id.substring(start, start + 12), 16);
        return Instant.ofEpochMilli(millis);
    }

    /**
     * The external account of a currency: money enters (deposits) and leaves (payouts) through it, and
     * it is the one kind of account allowed to go negative.
     */
    public static String externalAccount(String currency) {
        return ACCOUNT + "external_" + currency;
    }

    /**
     * The card clearing account of a currency: a card payment is booked from it to the merchant's
     * account once the processor charged the card, so its balance is minus what the processor owes
     * Kassa for card payments not yet settled. It is an external account (the prefix), so it may go
     * negative and the ledger opens it on first use like the currency's external account.
     */
    public static String cardClearingAccount(String currency) {
        return ACCOUNT + "external_card_" + currency;
    }

    /** True when {@code accountId} names a currency's card clearing account. */
    public static boolean isCardClearingAccount(String accountId) {
        return accountId != null && accountId.startsWith(ACCOUNT + "external_card_");
    }

    /** The owner of every external account, in the ledger and in the topology's balance store. */
    public static final String EXTERNAL_ACCOUNT_OWNER = "platform";

    /** True when {@code accountId} names a currency's external account. */
    public static boolean isExternalAccount(String accountId) {
        return accountId != null && accountId.startsWith(ACCOUNT + "external_");
    }
}
