package dev.kassa.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.freeze.FreezingArchRule;
import java.util.Set;

/**
 * The package layering of ingest-api as CONTRIBUTING.md ("Module map", "Adding an HTTP route", "Build
 * guardrails") describes it: the web layer ({@code http}) reaches idempotency only through its public API,
 * never its Redis internals; the services never reach back into the web layer; no production class uses a
 * test library; and no new cycle between packages. Each rule reads the compiled production classes.
 */
@AnalyzeClasses(packages = "dev.kassa.api", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** What {@code http} and the services may use of {@code idempotency}: the guard and its collaborators. */
    private static final Set<String> IDEMPOTENCY_PUBLIC_API = Set.of(
            "IdempotencyGuard", "IdempotentRequest", "PaymentLookup", "PendingAnswers", "RequestFingerprints");

    /**
     * The rest of {@code idempotency}: {@code RedisIdempotencyGuard}, {@code IdempotencyScripts},
     * {@code IdempotencySlot}, {@code IdempotencyRecord}, {@code PaymentRebuilder} and their nested classes.
     */
    private static final DescribedPredicate<JavaClass> IDEMPOTENCY_INTERNALS = DescribedPredicate.describe(
            "idempotency's Redis internals (anything but " + IDEMPOTENCY_PUBLIC_API + ")",
            type -> type.getPackageName().equals("dev.kassa.api.idempotency")
                    && !IDEMPOTENCY_PUBLIC_API.contains(topLevelSimpleName(type)));

    @ArchTest
    static final ArchRule httpUsesOnlyTheIdempotencyGuardsPublicApi = noClasses()
            .that().resideInAPackage("dev.kassa.api.http..")
            .should().dependOnClassesThat(IDEMPOTENCY_INTERNALS)
            .because("a handler calls idempotency.execute(...) on the IdempotencyGuard and never sees how Redis "
                    + "stores a key (CONTRIBUTING.md, \"Adding an HTTP route\", step 3; docs/architecture.md, "
                    + "\"Idempotency keys live in Redis\")");

    @ArchTest
    static final ArchRule onlyTheWiringBuildsTheRedisGuard = noClasses()
            .that().resideOutsideOfPackage("dev.kassa.api.idempotency..")
            .and().doNotHaveFullyQualifiedName(KassaApi.class.getName())
            .should().dependOnClassesThat(IDEMPOTENCY_INTERNALS)
            .because("KassaApi wires RedisIdempotencyGuard in; everything else depends on the IdempotencyGuard "
                    + "interface (CONTRIBUTING.md, \"Build guardrails\")");

    @ArchTest
    static final ArchRule servicesDoNotDependOnTheWebLayer = noClasses()
            .that().resideInAnyPackage("dev.kassa.api.payments..", "dev.kassa.api.refunds..",
                    "dev.kassa.api.accounts..", "dev.kassa.api.merchants..")
            .should().dependOnClassesThat().resideInAPackage("dev.kassa.api.http..")
            .because("thin handlers: a route parses, validates and calls one service method, and the services "
                    + "know nothing of HTTP (CONTRIBUTING.md, \"Adding an HTTP route\" and \"Code style\")");

    @ArchTest
    static final ArchRule productionCodeUsesNoTestLibrary = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.junit..", "org.assertj..", "net.jqwik..", "org.awaitility..", "com.tngtech.archunit..",
                    "dev.kassa.testing..", "dev.kassa.runtime..")
            .because("test libraries and the test kit are test-scoped and absent from the shipped jar (CONTRIBUTING.md, "
                    + "\"Build guardrails\")");

    /**
     * Frozen: {@code idempotency} depends back on {@code http} today (it renders through
     * {@code http.ApiResponse} and {@code http.ErrorMapper}), which closes a cycle with every package that
     * {@code http} uses. Moving those two out of {@code http} is more than a small move, so today's uses are
     * recorded in {@code src/test/resources/archunit_store} and any further use fails (CONTRIBUTING.md,
     * "Build guardrails").
     */
    @ArchTest
    static final ArchRule idempotencyGainsNoNewDependencyOnTheWebLayer = FreezingArchRule.freeze(noClasses()
            .that().resideInAPackage("dev.kassa.api.idempotency..")
            .should().dependOnClassesThat().resideInAPackage("dev.kassa.api.http..")
            .because("the web layer sits above idempotency (CONTRIBUTING.md, \"Adding an HTTP route\" and "
                    + "\"Build guardrails\")"));

    /** Every other cycle between packages fails; the one frozen edge above is the only exception. */
    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching("dev.kassa.api.(*)..")
            .should().beFreeOfCycles()
            .ignoreDependency(JavaClass.Predicates.resideInAPackage("dev.kassa.api.idempotency.."),
                    JavaClass.Predicates.resideInAPackage("dev.kassa.api.http.."))
            .because("a package is one idea and the layering only points one way (CONTRIBUTING.md, "
                    + "\"Code style\" and \"Build guardrails\")");

    private static String topLevelSimpleName(JavaClass type) {
        String name = type.getName().substring(type.getPackageName().length() + 1);
        int nested = name.indexOf('$');
        return nested < 0 ? name : name.substring(0, nested);
    }
}
