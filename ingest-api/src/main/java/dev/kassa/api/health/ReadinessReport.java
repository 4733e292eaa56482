package dev.kassa.api.health;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The state of each dependency: {@code null} when it answered, else why not. Rendered as
 * {@code {"status": "ok"|"unavailable", "components": {"kafka": {"status": "ok"}, "redis":
 * {"status": "unavailable", "error": "…"}, …}}}.
 */
public record ReadinessReport(Map<String, String> failures) {

    public ReadinessReport {
        failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    }

    public boolean ready() {
        return failures.values().stream().allMatch(Objects::isNull);
    }

    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("status", ready() ? "ok" : "unavailable");
        ObjectNode components = json.putObject("components");
        failures.forEach((name, failure) -> {
            ObjectNode component = components.putObject(name);
            component.put("status", failure == null ? "ok" : "unavailable");
            if (failure != null) {
                component.put("error", failure);
            }
        });
        return json;
    }
}
