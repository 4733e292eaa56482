package dev.kassa.testing;

import dev.kassa.runtime.EmbeddedRuntime;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link EmbeddedRuntime} (Kafka, Postgres, Redis) shared by every integration test class of a
 * test JVM: started on the first class that uses it, on a fresh temporary data directory, and closed
 * (and its directory deleted) when the whole run ends, through JUnit's root store.
 *
 * <pre>{@code
 * @Tag("integration")
 * @ExtendWith(SharedRuntime.class)
 * class PaymentFlowIT {
 *     @Test
 *     void paymentIsBooked(EmbeddedRuntime runtime) { ... runtime.bootstrapServers() ... }
 * }
 * }</pre>
 *
 * <p>Test methods, constructors and {@code @BeforeAll} methods may declare an {@link EmbeddedRuntime}
 * parameter; other extensions can call {@link #runtime(ExtensionContext)}. Tests share its topics,
 * tables and keys, so each test should use names of its own.
 */
public final class SharedRuntime implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedRuntime.class);

    /** The runtime of this test JVM, started on first use. */
    public static EmbeddedRuntime runtime(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .computeIfAbsent(StartedRuntime.class, key -> StartedRuntime.start("kassa-it-"), StartedRuntime.class)
                .runtime();
    }

    /** Starts the runtime before the class' tests, so its start time never counts against a test's timeout. */
    @Override
    public void beforeAll(ExtensionContext context) {
        runtime(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == EmbeddedRuntime.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return runtime(extensionContext);
    }
}
