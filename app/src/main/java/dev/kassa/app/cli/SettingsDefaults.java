package dev.kassa.app.cli;

import dev.kassa.api.ApiSettings;
import dev.kassa.app.connector.ConnectorSettings;
import dev.kassa.app.reconcile.DailyReconciliation;
import dev.kassa.app.reconcile.Reconciler;
import dev.kassa.ledger.sink.SinkSettings;
import dev.kassa.topology.TopologySettings;
import java.lang.reflect.AccessibleObject;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Option;

/**
 * The defaults of the flags that a compile-time constant cannot give, taken from the settings
 * records' {@code X_DEFAULT} constants so that no default is written twice (CONTRIBUTING.md,
 * Configuration). A flag whose default is an {@code int}, {@code long} or {@code String} names its
 * constant in its annotation ({@code "${env:KASSA_X:-" + Settings.X_DEFAULT + "}"}); a flag whose
 * default is a {@link java.time.Duration} declares only its variable ({@code "${env:KASSA_X}"}) and
 * gets its fallback here, rendered as {@link DurationConverter} reads it. The variable stays the first
 * fallback: when it is set, its value is the default. Picocli shows the result as
 * {@code ${DEFAULT-VALUE}} in the help text.
 */
public final class SettingsDefaults implements IDefaultValueProvider {

    /** {@code ${env:KASSA_X}}: an option that names its variable and leaves its fallback to this class. */
    private static final Pattern VARIABLE_ONLY = Pattern.compile("\\$\\{env:(KASSA_[A-Z0-9_]+)}");

    /** Each variable's fallback, from the constant of the settings record that uses it. */
    private static final Map<String, String> FALLBACKS = Map.of(
            "KASSA_WAIT_MS", Long.toString(ApiSettings.OUTCOME_WAIT_DEFAULT.toMillis()),
            "KASSA_REDIS_KEY_TTL", DurationConverter.render(ApiSettings.IDEMPOTENCY_TTL_DEFAULT),
            "KASSA_DEDUPE_RETENTION", DurationConverter.render(TopologySettings.DEDUPE_RETENTION_DEFAULT),
            "KASSA_LEDGER_KEY_RETENTION", DurationConverter.render(SinkSettings.KEY_RETENTION_DEFAULT),
            "KASSA_CONNECTOR_RETRY_BACKOFF_MIN", DurationConverter.render(ConnectorSettings.RETRY_BACKOFF_MIN_DEFAULT),
            "KASSA_CONNECTOR_RETRY_BACKOFF_MAX", DurationConverter.render(ConnectorSettings.RETRY_BACKOFF_MAX_DEFAULT),
            "KASSA_RECONCILE_DELAY", DurationConverter.render(DailyReconciliation.DELAY_DEFAULT),
            "KASSA_RECONCILE_COMPLETION_WAIT", DurationConverter.render(Reconciler.COMPLETION_WAIT_DEFAULT));

    /** The fallback of {@code variable} when it is unset, if this class gives it one. */
    public static Optional<String> fallback(String variable) {
        return Optional.ofNullable(FALLBACKS.get(variable));
    }

    /** The variable an option's annotation names without a fallback ({@code ${env:KASSA_X}}), if it does. */
    public static Optional<String> variableOnly(ArgSpec argument) {
        if (!(argument.userObject() instanceof AccessibleObject member) || !member.isAnnotationPresent(Option.class)) {
            return Optional.empty();
        }
        Matcher variable = VARIABLE_ONLY.matcher(member.getAnnotation(Option.class).defaultValue());
        return variable.matches() ? Optional.of(variable.group(1)) : Optional.empty();
    }

    @Override
    public String defaultValue(ArgSpec argument) {
        Optional<String> variable = variableOnly(argument).filter(FALLBACKS::containsKey);
        if (variable.isEmpty()) {
            return null; // the annotation's own default, if any
        }
        String fromEnvironment = System.getenv(variable.get());
        return fromEnvironment != null ? fromEnvironment : FALLBACKS.get(variable.get());
    }
}
