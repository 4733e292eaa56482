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
 * {@code settlement_missing} lines and repeats each of the next {@code settlement_duplicate} lines once.
 */
final class SettlementReport {

    static final String HEADER = "type,id,charge,reference,amount,currency,fee,created";

    private record Line(Instant created, String id, String text) {
    }

    private SettlementReport() {
    }

    static String csv(LocalDate day, List<Charge> charges, List<Refund> refunds, int missing, int duplicated) {
        Map<String, Charge> chargesById = charges.stream().collect(Collectors.toMap(Charge::id, Function.identity()));
        List<Line> lines = new ArrayList<>();
        for (Charge charge : charges) {
            if (charge.status() == Charge.Status.SUCCEEDED && dayOf(charge.created()).equals(day)) {
                lines.add(new Line(charge.created(), charge.id(), String.join(",", "charge", charge.id(), charge.id(),
                        charge.reference(), Long.toString(charge.amount()), charge.currency(), Long.toString(charge.fee()),
                        charge.created().toString())));
            }
        }
        for (Refund refund : refunds) {
            if (dayOf(refund.created()).equals(day)) {
                lines.add(new Line(refund.created(), refund.id(), String.join(",", "refund", refund.id(), refund.charge(),
                        chargesById.get(refund.charge()).reference(), Long.toString(-refund.amount()), refund.currency(),
                        "0", refund.created().toString())));
            }
        }
        lines.sort(Comparator.comparing(Line::created).thenComparing(Line::id));
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        List<Line> kept = lines.subList(Math.min(missing, lines.size()), lines.size());
        for (int index = 0; index < kept.size(); index++) {
            csv.append(kept.get(index).text()).append('\n');
            if (index < duplicated) {
                csv.append(kept.get(index).text()).append('\n');
            }
        }
        return csv.toString();
    }

    private static LocalDate dayOf(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
