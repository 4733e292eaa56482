package dev.kassa.app.reconcile;

import dev.kassa.model.ReconciliationResult.Item;
import dev.kassa.model.ReconciliationResult.Kind;
import dev.kassa.model.ReconciliationResult.Run;
import dev.kassa.model.ReconciliationResult.State;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run of a day changes in what earlier runs of it recorded: pure. A fresh item whose key,
 * kind and state are already recorded changes nothing, so a second run of a day writes and publishes
 * no item. An item {@code completed_by_reconciliation} that now matches stays of that kind, resolved:
 * how its payment was completed is kept. A recorded open item a run no longer finds (a line that
 * arrived late) is resolved.
 *
 * @param items   every item of the day after the run, by key
 * @param changed the items new or changed by the run, to record and publish
 */
record Merge(Map<String, Item> items, List<Item> changed) {

    static Merge of(Map<String, Item> recorded, List<Item> fresh) {
        Map<String, Item> items = new LinkedHashMap<>();
        List<Item> changed = new ArrayList<>();
        for (Item found : fresh) {
            Item before = recorded.get(found.key());
            Item item = found;
            if (before != null && before.kind() == Kind.COMPLETED_BY_RECONCILIATION && found.kind() == Kind.MATCHED) {
                item = found.withKind(Kind.COMPLETED_BY_RECONCILIATION).withState(State.RESOLVED, "payment "
                        + found.paymentId() + " was completed by reconciliation and now matches");
            }
            items.put(item.key(), item);
            if (before == null || before.kind() != item.kind() || before.state() != item.state()) {
                changed.add(item);
            }
        }
        for (Item before : recorded.values()) {
            if (items.containsKey(before.key())) {
                continue;
            }
            Item item = before.state() == State.OPEN
                    ? before.withState(State.RESOLVED, before.detail() + "; no longer found by a later run")
                    : before;
            items.put(item.key(), item);
            if (item != before) {
                changed.add(item);
            }
        }
        return new Merge(Map.copyOf(items), List.copyOf(changed));
    }

    /** The day's summary after the run. */
    Run summary(int reportLines) {
        int matched = 0;
        int completed = 0;
        int open = 0;
        for (Item item : items.values()) {
            matched += item.kind() == Kind.MATCHED ? 1 : 0;
            completed += item.kind() == Kind.COMPLETED_BY_RECONCILIATION ? 1 : 0;
            open += item.state() == State.OPEN ? 1 : 0;
        }
        return new Run(reportLines, matched, completed, open);
    }

    /** The open items, by key. */
    List<Item> open() {
        return items.values().stream().filter(item -> item.state() == State.OPEN)
                .sorted(java.util.Comparator.comparing(Item::key)).toList();
    }
}
