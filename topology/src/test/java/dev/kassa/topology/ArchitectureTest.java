package dev.kassa.topology;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.freeze.FreezingArchRule;

/**
 * The package layering of the topology as docs/architecture.md ("topology") and CONTRIBUTING.md ("Module
 * map", "Build guardrails") describe it: the stages decide from their own state stores and know nothing of
 * the HTTP API or the Postgres ledger, no production class uses a test library, and no new cycle appears
 * between the stage packages. Each rule reads the compiled production classes.
 */
@AnalyzeClasses(packages = "dev.kassa.topology", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule stagesDoNotDependOnTheApiOrTheLedger = noClasses()
            .that().resideInAPackage("dev.kassa.topology..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.kassa.api..", "dev.kassa.ledger..")
            .because("deciding is the topology's alone, from its state stores; the API and the ledger only read "
                    + "what it published (docs/architecture.md, introduction: \"Deciding\")");

    @ArchTest
    static final ArchRule productionCodeUsesNoTestLibrary = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.junit..", "org.assertj..", "net.jqwik..", "org.awaitility..", "com.tngtech.archunit..",
                    "org.apache.kafka.streams.test..")
            .because("test libraries are test-scoped and absent from the shipped jar (CONTRIBUTING.md, "
                    + "\"Build guardrails\")");

    /**
     * Frozen: the stages {@code fraud}, {@code refund} and {@code treasury} use types that live in
     * {@code authorize} ({@code Leg}, {@code Outcome}, {@code AccountBalance}, {@code PaymentEvents}), while
     * {@code authorize.LedgerLegProcessor} calls into each of them: three cycles. Moving the shared types
     * into a package of their own is more than a small move (docs and tests name them where they are), so
     * today's uses are recorded in {@code src/test/resources/archunit_store} and any further use fails
     * (CONTRIBUTING.md, "Build guardrails").
     */
    @ArchTest
    static final ArchRule stagesGainNoNewDependencyOnAuthorize = FreezingArchRule.freeze(noClasses()
            .that().resideInAnyPackage("dev.kassa.topology.fraud..", "dev.kassa.topology.refund..",
                    "dev.kassa.topology.treasury..")
            .should().dependOnClassesThat().resideInAPackage("dev.kassa.topology.authorize..")
            .because("the authorizer sits above the fraud, refund and treasury stages it calls "
                    + "(CONTRIBUTING.md, \"Build guardrails\")"));

    /** Every other cycle between the topology's packages fails; the frozen edges above are the only exception. */
    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching("dev.kassa.topology.(*)..")
            .should().beFreeOfCycles()
            .ignoreDependency(
                    JavaClass.Predicates.resideInAnyPackage("dev.kassa.topology.fraud..",
                            "dev.kassa.topology.refund..", "dev.kassa.topology.treasury.."),
                    JavaClass.Predicates.resideInAPackage("dev.kassa.topology.authorize.."))
            .because("a package is one idea and the layering only points one way (CONTRIBUTING.md, "
                    + "\"Code style\" and \"Build guardrails\")");
}
