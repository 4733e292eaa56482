package dev.kassa.app.reconcile;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One line of a card processor's settlement report (docs/processor-sim.md, settlement report): a
 * succeeded charge, or a refund (its amount negative, money back to the card), with the gateway's
 * {@code reference} (Kassa's payment id). Amounts and fees in minor units of {@code currency}.
 */
public record SettlementLine(Type type, String id, String chargeId, String reference, long amount, String currency,
                             long fee, Instant created) {

    /** The report's header, which {@link #parse} requires as its first line. */
    public static final String HEADER = "type,id,charge,reference,amount,currency,fee,created";
    /** A bound on a report's size, so an endless answer cannot exhaust memory. */
    public static final int LINES_MAX = 1_000_000;

    /** What a line settles. */
    public enum Type { CHARGE, REFUND }

    public SettlementLine {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(chargeId, "chargeId");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(created, "created");
    }

    /**
     * The lines of a report, in its order, repeated lines included.
     *
     * @throws IllegalArgumentException naming the line that is not a settlement line, or a header that is not the known one
     */
    public static List<SettlementLine> parse(String csv) {
        List<String> rows = csv.lines().filter(row -> !row.isBlank()).toList();
        if (rows.isEmpty() || !rows.get(0).trim().equals(HEADER)) {
            throw new IllegalArgumentException("the settlement report does not start with the header " + HEADER);
        }
        if (rows.size() - 1 > LINES_MAX) {
            throw new IllegalArgumentException("the settlement report has " + (rows.size() - 1) + " lines, more than "
                    + LINES_MAX);
        }
        List<SettlementLine> lines = new ArrayList<>(rows.size() - 1);
        for (int index = 1; index < rows.size(); index++) {
            lines.add(line(rows.get(index), index + 1));
        }
        return List.copyOf(lines);
    }

    private static SettlementLine line(String row, int number) {
        String[] fields = row.trim().split(",", -1);
        if (fields.length != 8) {
            throw new IllegalArgumentException("settlement report line " + number + " has " + fields.length
                    + " fields, not 8: " + row);
        }
        try {
            Type type = Type.valueOf(fields[0].toUpperCase(Locale.ROOT));
            return new SettlementLine(type, fields[1], fields[2], fields[3], Long.parseLong(fields[4]),
                    fields[5].toLowerCase(Locale.ROOT), Long.parseLong(fields[6]), Instant.parse(fields[7]));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IllegalArgumentException("settlement report line " + number + " is unreadable (" + e.getMessage()
                    + "): " + row, e);
        }
    }
}
