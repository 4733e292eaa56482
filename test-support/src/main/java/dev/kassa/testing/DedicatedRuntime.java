package dev.kassa.testing;

import dev.kassa.runtime.EmbeddedRuntime;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * An {@link EmbeddedRuntime} (Kafka, Postgres, Redis) of one test class's own, for classes that must
 * not share the broker with the {@link SharedRuntime}'s gateway: a topology or sink of their own
 * would split its consumer groups, or book its events. Started before the class's tests on a fresh
 * temporary directory, closed (and the directory deleted) after them, through the class's store.
 *
 * <pre>{@code
 * @Tag("integration")
 * @ExtendWith(DedicatedRuntime.class)
 * class SinkCrashIT {
 *     SinkCrashIT(EmbeddedRuntime runtime) { this.runtime = runtime; }
 * }
 * }</pre>
 */
public final class DedicatedRuntime implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DedicatedRuntime.class);

    /** Stored in the class's context, so that its tests (whose stores see their parent's) find the same one. */
    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE)
                .computeIfAbsent(StartedRuntime.class, key -> StartedRuntime.start("kassa-dedicated-"), StartedRuntime.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == EmbeddedRuntime.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        StartedRuntime started = extensionContext.getStore(NAMESPACE).get(StartedRuntime.class, StartedRuntime.class);
        if (started == null) {
            throw new IllegalStateException("the dedicated runtime starts before the class's tests; it is not there");
        }
        return started.runtime();
    }
}
