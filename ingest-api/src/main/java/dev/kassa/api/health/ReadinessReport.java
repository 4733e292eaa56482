package dev.kassa.api.health;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The state of each dependency: {@code null} when it answered, else why not. Rendered as
 * {@code {"status": "ok"|"unavailable", "components": {"kafka": {"status": "ok"}, "redis":
 * {"status": "unavailable", "error": "…"}, …}}}. An optional component that is down (Redis, whose
 * loss only costs the replay cache) is {@code degraded}, and so is the whole report if nothing else failed.
 */
public record ReadinessReport(Map<String, String> failures, Set<String> optional) {

    public ReadinessReport {
        failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
        optional = Set.copyOf(optional);
    }

    /** A report in which every component is essential. */
    public ReadinessReport(Map<String, String> failures) {
        this(failures, Set.of());
    }

    /** True when every essential component answered; an optional one (Redis) may be down. */
    public boolean ready() {
        return failures.entrySet().stream().allMatch(entry -> entry.getValue() == null || optional.contains(entry.getKey()));
    }

    private boolean complete() {
        return failures.values().stream().allMatch(Objects::isNull);
    }

    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("status", complete() ? "ok" : ready() ? "degraded" : "unavailable");
        ObjectNode components = json.putObject("components");
        failures.forEach((name, failure) -> {
            ObjectNode component = components.putObject(name);
            component.put("status", failure == null ? "ok" : optional.contains(name) ? "degraded" : "unavailable");
            if (failure != null) {
                component.put("error", failure);
            }
        });
        return json;
    }
}
