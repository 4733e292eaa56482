package dev.kassa.app.e2e;

import dev.kassa.testing.SharedRuntime;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One Kassa {@link dev.kassa.app.Gateway} (topology, ledger sink and API) shared by every end-to-end
 * test class of a test JVM, running on the one embedded Kafka, Postgres and Redis of
 * {@link SharedRuntime}. It is started on the first class that uses it and handed to the runtime
 * with {@code closeFirst}, so that it stops before the servers it uses when the run ends.
 *
 * <pre>{@code
 * @Tag("integration")
 * @ExtendWith(SharedGateway.class)
 * class PaymentFlowIT {
 *     PaymentFlowIT(TestGateway gateway) { this.api = gateway.api(); }
 * }
 * }</pre>
 *
 * <p>Constructors, {@code @BeforeAll} and test methods may declare a {@link TestGateway} parameter.
 * Every test class shares its merchants' topics and tables, so each test creates merchants of its own.
 */
public final class SharedGateway implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedGateway.class);

    /** The gateway of this test JVM, started (with the runtime under it) on first use. */
    public static TestGateway gateway(ExtensionContext context) {
        // The runtime is resolved outside computeIfAbsent: its own store entry must not be created
        // from inside another entry's creator.
        var runtime = SharedRuntime.runtime(context);
        return context.getRoot()
                .getStore(NAMESPACE)
                .computeIfAbsent(TestGateway.class, key -> TestGateway.start(runtime), TestGateway.class);
    }

    /** Starts the gateway before the class' tests, so its start never counts against a test's time. */
    @Override
    public void beforeAll(ExtensionContext context) {
        gateway(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TestGateway.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return gateway(extensionContext);
    }
}
