package dev.kassa.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One record on {@code reconciliation.results}, keyed by the reconciled UTC day ({@code YYYY-MM-DD}):
 * an {@link Item} of the reconciliation of that day's card payments and refunds against the card
 * processor's settlement report, published when the item is first found or its kind or state
 * changes, or the {@link Run} summary of one run (docs/architecture.md, Reconciliation). Exactly one
 * of {@code item} and {@code run} is set, as {@code type} says.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReconciliationResult(int schemaVersion, Type type, LocalDate date, Item item, Run run, Instant occurredAt) {

    /** Bumped whenever the JSON shape of a result changes. */
    public static final int SCHEMA_VERSION = 1;

    public ReconciliationResult {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(occurredAt, "occurredAt");
        if ((type == Type.ITEM) != (item != null) || (type == Type.RUN) != (run != null)) {
            throw new IllegalArgumentException("a reconciliation result of " + date + " of type " + type
                    + " carries exactly the part its type names");
        }
    }

    public static ReconciliationResult of(LocalDate date, Item item, Instant occurredAt) {
        return new ReconciliationResult(SCHEMA_VERSION, Type.ITEM, date, item, null, occurredAt);
    }

    public static ReconciliationResult of(LocalDate date, Run run, Instant occurredAt) {
        return new ReconciliationResult(SCHEMA_VERSION, Type.RUN, date, null, run, occurredAt);
    }

    /** Which part a result carries. */
    public enum Type {
        @JsonProperty("item") ITEM,
        @JsonProperty("run") RUN
    }

    /** What an item says about one report line, or about a Kassa payment or refund the report lacks. */
    public enum Kind {
        /** The line and Kassa's payment or refund agree. */
        @JsonProperty("matched") MATCHED,
        /** Charged at the processor, still processing in Kassa: the processor's outcome was published as its answer. */
        @JsonProperty("completed_by_reconciliation") COMPLETED_BY_RECONCILIATION,
        /** Completed in Kassa that day, no line at the processor. */
        @JsonProperty("missing_at_processor") MISSING_AT_PROCESSOR,
        /** A line whose reference names no card payment (or refund) of Kassa's. */
        @JsonProperty("unknown_at_kassa") UNKNOWN_AT_KASSA,
        /** Charged at the processor, failed in Kassa. */
        @JsonProperty("charged_but_failed") CHARGED_BUT_FAILED,
        @JsonProperty("amount_mismatch") AMOUNT_MISMATCH,
        @JsonProperty("currency_mismatch") CURRENCY_MISMATCH,
        /** A line repeated in the report (its second copy). */
        @JsonProperty("duplicate_line") DUPLICATE_LINE,
        /** A second charge line, another charge id, for a payment another line already matched. */
        @JsonProperty("second_charge") SECOND_CHARGE;

        /** The kind's name as JSON and Postgres spell it. */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Whether an item needs an operator ({@code open}) or not ({@code resolved}). */
    public enum State {
        @JsonProperty("open") OPEN,
        @JsonProperty("resolved") RESOLVED;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One item: {@code key} the report line's id ({@code ch_…}, {@code re_…}; a repeated line's second
     * copy {@code ch_…#2}) or the Kassa payment or refund id the report lacks; amounts in minor units
     * of {@code currency}, absent on the side that has none.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(String key, Kind kind, State state, String paymentId, String processorId, Long kassaAmount,
                       Long processorAmount, String currency, String detail) {

        public Item {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(detail, "detail");
        }

        public Item withState(State newState, String newDetail) {
            return new Item(key, kind, newState, paymentId, processorId, kassaAmount, processorAmount, currency, newDetail);
        }

        public Item withKind(Kind newKind) {
            return new Item(key, newKind, state, paymentId, processorId, kassaAmount, processorAmount, currency, detail);
        }
    }

    /** A run's summary: the report's lines, the items matched, completed by this reconciliation, and open. */
    public record Run(int reportLines, int matched, int completed, int open) {
    }
}
