package dev.kassa.app.reconcile;

import dev.kassa.model.ReconciliationResult.Item;
import dev.kassa.model.ReconciliationResult.Kind;
import dev.kassa.model.ReconciliationResult.State;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The line-by-line comparison of a day's settlement report with Kassa's card payments and refunds of
 * that day (docs/architecture.md, Reconciliation): pure, no I/O. Every report line gives one item, keyed
 * by its id (a repeated line's further copies {@code id#2}, {@code id#3}: {@code duplicate_line}), and
 * every charged payment or completed refund of the day that no line settles gives one
 * {@code missing_at_processor} item, keyed by its Kassa id. A charge line of a payment still
 * {@code processing} is {@code completed_by_reconciliation}, {@code open} until the ledger shows the
 * payment completed. A refund's amounts are negative on both sides, as the report states them.
 */
public final class Comparison {

    private final Map<String, KassaCardPayment> payments;
    private final List<Item> items = new ArrayList<>();
    private final Map<String, String> chargeLineOfPayment = new HashMap<>();
    private final Map<String, List<SettlementLine>> refundLinesOfPayment = new LinkedHashMap<>();

    private Comparison(Map<String, KassaCardPayment> payments) {
        this.payments = payments;
    }

    /**
     * The items of one day.
     *
     * @param lines          the report's lines, in its order
     * @param payments       Kassa's card payments by id: every one a line names, and every one created that day
     * @param paymentsOfDay  the ids of Kassa's card payments created that day
     * @param refundsOfDay   Kassa's completed refunds of card payments created that day
     */
    public static List<Item> compare(List<SettlementLine> lines, Map<String, KassaCardPayment> payments,
                                     Set<String> paymentsOfDay, List<KassaCardRefund> refundsOfDay) {
        Comparison comparison = new Comparison(Objects.requireNonNull(payments, "payments"));
        Map<String, Integer> copies = new HashMap<>();
        for (SettlementLine line : lines) {
            int copy = copies.merge(line.id(), 1, Integer::sum);
            if (copy > 1) {
                comparison.items.add(new Item(line.id() + "#" + copy, Kind.DUPLICATE_LINE, State.OPEN, line.reference(),
                        line.id(), null, line.amount(), line.currency(), "the report repeats line " + line.id()
                        + " (copy " + copy + "); it settles once"));
            } else if (line.type() == SettlementLine.Type.REFUND) {
                comparison.refundLinesOfPayment.computeIfAbsent(line.reference(), reference -> new ArrayList<>()).add(line);
            } else {
                comparison.items.add(comparison.charge(line));
            }
        }
        for (String paymentId : paymentsOfDay.stream().sorted().toList()) {
            KassaCardPayment payment = payments.get(paymentId);
            if (payment != null && payment.charged() && !comparison.chargeLineOfPayment.containsKey(paymentId)) {
                comparison.items.add(new Item(paymentId, Kind.MISSING_AT_PROCESSOR, State.OPEN, paymentId, null,
                        payment.amount(), null, payment.currency(), "card payment " + paymentId + " is "
                        + payment.status() + " in Kassa; the processor's report has no charge for it"));
            }
        }
        comparison.refunds(refundsOfDay);
        return List.copyOf(comparison.items);
    }

    private Item charge(SettlementLine line) {
        KassaCardPayment payment = payments.get(line.reference());
        if (payment == null) {
            return lineItem(line, Kind.UNKNOWN_AT_KASSA, State.OPEN, null,
                    "charge " + line.id() + " names " + line.reference() + ", which is no card payment of Kassa's");
        }
        String earlier = chargeLineOfPayment.putIfAbsent(payment.id(), line.id());
        if (earlier != null) {
            return lineItem(line, Kind.SECOND_CHARGE, State.OPEN, payment.amount(), "charge " + line.id()
                    + " is a second charge for payment " + payment.id() + ", already settled by " + earlier);
        }
        if (!payment.currency().equals(line.currency())) {
            return lineItem(line, Kind.CURRENCY_MISMATCH, State.OPEN, payment.amount(), "payment " + payment.id()
                    + " is in " + payment.currency() + " in Kassa, its charge " + line.id() + " in " + line.currency());
        }
        if (payment.amount() != line.amount()) {
            return lineItem(line, Kind.AMOUNT_MISMATCH, State.OPEN, payment.amount(), "payment " + payment.id() + " is "
                    + payment.amount() + " in Kassa, its charge " + line.id() + " " + line.amount());
        }
        if (payment.processing()) {
            return lineItem(line, Kind.COMPLETED_BY_RECONCILIATION, State.OPEN, payment.amount(), "payment "
                    + payment.id() + " was processing in Kassa though charged as " + line.id()
                    + "; the processor's answer is published on card.results");
        }
        if (payment.charged()) {
            return lineItem(line, Kind.MATCHED, State.RESOLVED, payment.amount(), "payment " + payment.id() + " matches");
        }
        return lineItem(line, Kind.CHARGED_BUT_FAILED, State.OPEN, payment.amount(), "payment " + payment.id()
                + " is " + payment.status() + " in Kassa, but the processor charged it as " + line.id());
    }

    /** Pairs each payment's refund lines with its Kassa refunds: equal amounts first, then what is left, in order. */
    private void refunds(List<KassaCardRefund> refundsOfDay) {
        Map<String, List<KassaCardRefund>> kassaOfPayment = new LinkedHashMap<>();
        for (KassaCardRefund refund : refundsOfDay) {
            kassaOfPayment.computeIfAbsent(refund.paymentId(), id -> new ArrayList<>()).add(refund);
        }
        Set<String> paymentIds = new HashSet<>(refundLinesOfPayment.keySet());
        paymentIds.addAll(kassaOfPayment.keySet());
        for (String paymentId : paymentIds.stream().sorted().toList()) {
            List<SettlementLine> lines = new ArrayList<>(refundLinesOfPayment.getOrDefault(paymentId, List.of()));
            List<KassaCardRefund> kassa = new ArrayList<>(kassaOfPayment.getOrDefault(paymentId, List.of()));
            for (SettlementLine line : List.copyOf(lines)) {
                kassa.stream().filter(refund -> -refund.amount() == line.amount() && refund.currency().equals(line.currency()))
                        .findFirst().ifPresent(refund -> {
                            kassa.remove(refund);
                            lines.remove(line);
                            items.add(lineItem(line, Kind.MATCHED, State.RESOLVED, -refund.amount(), "refund "
                                    + refund.id() + " of payment " + paymentId + " matches"));
                        });
            }
            while (!lines.isEmpty() && !kassa.isEmpty()) {
                SettlementLine line = lines.remove(0);
                KassaCardRefund refund = kassa.remove(0);
                Kind kind = refund.currency().equals(line.currency()) ? Kind.AMOUNT_MISMATCH : Kind.CURRENCY_MISMATCH;
                items.add(lineItem(line, kind, State.OPEN, -refund.amount(), "refund " + refund.id() + " of payment "
                        + paymentId + " is " + refund.amount() + " " + refund.currency() + " in Kassa, the processor's "
                        + line.id() + " " + line.amount() + " " + line.currency()));
            }
            for (SettlementLine line : lines) {
                items.add(lineItem(line, Kind.UNKNOWN_AT_KASSA, State.OPEN, null, "refund " + line.id() + " of "
                        + paymentId + " has no completed refund of that day in Kassa"));
            }
            for (KassaCardRefund refund : kassa) {
                items.add(new Item(refund.id(), Kind.MISSING_AT_PROCESSOR, State.OPEN, paymentId, null, -refund.amount(),
                        null, refund.currency(), "refund " + refund.id() + " of payment " + paymentId
                        + " is completed in Kassa; the processor's report has no refund line for it"));
            }
        }
    }

    private static Item lineItem(SettlementLine line, Kind kind, State state, Long kassaAmount, String detail) {
        return new Item(line.id(), kind, state, line.reference(), line.id(), kassaAmount, line.amount(), line.currency(),
                detail);
    }
}
