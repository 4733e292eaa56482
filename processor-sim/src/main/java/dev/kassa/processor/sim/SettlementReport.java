package dev.kassa.processor.sim;

import dev.kassa.processor.Charge;
import dev.kassa.processor.Refund;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A UTC day's settlement report as CSV (docs/processor-sim.md): a header, then one line per succeeded
 * charge and per refund created that day, oldest first. A refund's amount is negative (money back to
 * the card) and its fee 0. With settlement faults set, the report leaves out its first
 * {@code settlement_missing} lines, repeats each of the next {@code settlement_duplicate} lines once,
 * and states the amount of each of the {@code settlement_misstated} lines after those one minor unit
 * higher than it is (a refund's negative amount one unit nearer zero).
 */
final class SettlementReport {

    static final String HEADER = "type,id,charge,reference,amount,currency,fee,created";

    /** A line as {@code head,amount,tail}, so that a misstated fault can change its amount alone. */
    private record Line(Instant created, String id, String head, long amount, String tail) {

        String text(long amountOff) {
            return head + "," + (amount + amountOff) + "," + tail;
        }
    }

    private SettlementReport() {
    }

    static String csv(LocalDate day, List<Charge> charges, List<Refund> refunds, int missing, int duplicated,
                      int misstated) {
        Map<String, Charge> chargesById = charges.stream().collect(Collectors.toMap(Charge::id, Function.identity()));
        List<Line> lines = new ArrayList<>();
        for (Charge charge : charges) {
            if (charge.status() == Charge.Status.SUCCEEDED && dayOf(charge.created()).equals(day)) {
                lines.add(new Line(charge.created(), charge.id(), String.join(",", "charge", charge.id(), charge.id(),
                        charge.reference()), charge.amount(), String.join(",", charge.currency(),
                        Long.toString(charge.fee()), charge.created().toString())));
            }
        }
        for (Refund refund : refunds) {
            if (dayOf(refund.created()).equals(day)) {
                lines.add(new Line(refund.created(), refund.id(), String.join(",", "refund", refund.id(), refund.charge(),
                        chargesById.get(refund.charge()).reference()), -refund.amount(), String.join(",",
                        refund.currency(), "0", refund.created().toString())));
            }
        }
        lines.sort(Comparator.comparing(Line::created).thenComparing(Line::id));
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        List<Line> kept = lines.subList(Math.min(missing, lines.size()), lines.size());
        for (int index = 0; index < kept.size(); index++) {
            boolean misstate = index >= duplicated && index - duplicated < misstated;
            String text = kept.get(index).text(misstate ? 1 : 0);
            csv.append(text).append('\n');
            if (index < duplicated) {
                csv.append(text).append('\n');
            }
        }
        return csv.toString();
    }

    private static LocalDate dayOf(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
