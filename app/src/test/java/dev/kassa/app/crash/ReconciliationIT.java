package dev.kassa.app.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.app.connector.CardConnector;
import dev.kassa.model.ReconciliationResult;
import dev.kassa.model.Topics;
import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.testing.CommittedRecords;
import dev.kassa.testing.DedicatedRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reconciliation of a corrupted settlement report (docs/architecture.md, Reconciliation): the sandbox's
 * report faults leave out, repeat and misstate lines, and {@code kassa reconcile} must flag exactly
 * those, keep them in Postgres and publish them on {@code reconciliation.results}, and change nothing
 * when run again.
 */
@Tag("integration")
@ExtendWith(DedicatedRuntime.class)
class ReconciliationIT {

    private final EmbeddedRuntime runtime;

    @TempDir
    Path directory;

    ReconciliationIT(EmbeddedRuntime runtime) {
        this.runtime = runtime;
    }

    @Test
    void reportWithAMissingADuplicatedAndAMisstatedLineFlagsExactlyThose() throws Exception {
        // Plan: four card payments of 1000, 1100, 1200 and 1300, each charged and completed before the
        // next, so the sandbox's report lists their charges in that order. With settlement_missing=1,
        // settlement_duplicate=1 and settlement_misstated=1 the report lacks the first line, repeats the
        // second and states the third as 1201. kassa reconcile must exit 1 and record exactly: the first
        // payment missing_at_processor, the second's charge matched and its copy duplicate_line, the
        // third's charge amount_mismatch (1200 in Kassa, 1201 at the processor), the fourth's matched,
        // each published once on reconciliation.results. A second run must exit 1 and change no row and
        // publish no item. With the faults off, a third run finds the report whole: exit 0, nothing open.
        try (CardBench bench = new CardBench(runtime, directory, "[ReconciliationIT]");
             CardConnector connector = bench.connector(Duration.ofMillis(100))) {
            String account = bench.openAccount();
            List<String> payments = new ArrayList<>();
            List<String> charges = new ArrayList<>();
            for (long amount = 1_000; amount <= 1_300; amount += 100) {
                String paymentId = bench.pay(account, amount);
                bench.awaitStatus(paymentId, "completed");
                payments.add(paymentId);
                charges.add(bench.charges(paymentId).get(0).id());
            }
            LocalDate today = CardBench.today();
            bench.faults("{\"settlement_missing\": 1, \"settlement_duplicate\": 1, \"settlement_misstated\": 1}");

            CardBench.Reconciled first = bench.reconcile(today);

            assertThat(first.exitCode()).as(first.output()).isEqualTo(1);
            assertThat(first.output()).contains("4 report lines, 2 matched, 0 completed by reconciliation, 3 open");
            Map<String, List<String>> expected = new TreeMap<>(Map.of(
                    payments.get(0), Arrays.asList("missing_at_processor", "open", payments.get(0), "1000", null),
                    charges.get(1), List.of("matched", "resolved", payments.get(1), "1100", "1100"),
                    charges.get(1) + "#2", Arrays.asList("duplicate_line", "open", payments.get(1), null, "1100"),
                    charges.get(2), List.of("amount_mismatch", "open", payments.get(2), "1200", "1201"),
                    charges.get(3), List.of("matched", "resolved", payments.get(3), "1300", "1300")));
            assertThat(itemsByKey(bench, today)).isEqualTo(expected);
            assertThat(publishedItems(today)).containsExactlyInAnyOrderElementsOf(expected.keySet());
            List<List<String>> rows = bench.items(today);

            CardBench.Reconciled second = bench.reconcile(today);

            assertThat(second.exitCode()).as(second.output()).isEqualTo(1);
            assertThat(bench.items(today)).isEqualTo(rows);
            assertThat(publishedItems(today)).hasSize(expected.size());
            assertThat(bench.ledger().query("SELECT state, runs::text, open_items::text FROM reconciliation_runs"
                    + " WHERE business_date = ?", today)).containsExactly(List.of("open", "2", "3"));

            bench.faults("{}");
            CardBench.Reconciled whole = bench.reconcile(today);

            assertThat(whole.exitCode()).as(whole.output()).isEqualTo(0);
            assertThat(whole.output()).contains("4 report lines, 4 matched, 0 completed by reconciliation, 0 open");
            assertThat(bench.ledger().count("SELECT count(*) FROM reconciliation_items WHERE business_date = ?"
                    + " AND state = 'open'", today)).isZero();
        }
    }

    /** The day's items by key: kind, state, payment, Kassa's amount and the processor's. */
    private static Map<String, List<String>> itemsByKey(CardBench bench, LocalDate day) {
        Map<String, List<String>> items = new TreeMap<>();
        for (List<String> row : bench.items(day)) {
            items.put(row.get(0), row.subList(1, 6));
        }
        return items;
    }

    /** The keys of the item records published on reconciliation.results for {@code day}, in order. */
    private List<String> publishedItems(LocalDate day) {
        return CommittedRecords.readAll(runtime.bootstrapServers(), Topics.RECONCILIATION_RESULTS).stream()
                .filter(record -> record.key().equals(day.toString()))
                .map(ConsumerRecord::value)
                .filter(result -> result.type() == ReconciliationResult.Type.ITEM)
                .map(result -> result.item().key()).toList();
    }
}
