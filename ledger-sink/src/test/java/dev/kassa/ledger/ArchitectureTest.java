package dev.kassa.ledger;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package layering of ledger-sink as docs/architecture.md ("ledger-sink") and CONTRIBUTING.md ("Module
 * map", "Build guardrails") describe it: {@code sink} consumes Kafka and hands rows to {@code postgres},
 * which knows nothing of consuming; {@code verify} checks any Kassa database on its own; no package cycle;
 * no production class uses a test library. Each rule reads the compiled production classes.
 */
@AnalyzeClasses(packages = "dev.kassa.ledger", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule postgresKnowsNothingOfTheConsumer = noClasses()
            .that().resideInAPackage("dev.kassa.ledger.postgres..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "dev.kassa.ledger.sink..", "org.apache.kafka.clients..")
            .because("row mapping, the invariant screen and the writer are driven by the sink, never the other "
                    + "way round (docs/architecture.md, \"ledger-sink\"; CONTRIBUTING.md, \"Module map\")");

    @ArchTest
    static final ArchRule verifyStandsAlone = noClasses()
            .that().resideInAPackage("dev.kassa.ledger.verify..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "dev.kassa.ledger.sink..", "dev.kassa.ledger.postgres..", "org.apache.kafka..")
            .because("kassa ledger verify runs every invariant as SQL against any Kassa database, whatever "
                    + "wrote it (docs/architecture.md, \"ledger-sink\")");

    @ArchTest
    static final ArchRule theLedgerDependsOnNoOtherService = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage(
                    "dev.kassa.api..", "dev.kassa.topology..", "dev.kassa.app..", "dev.kassa.fraud..")
            .because("ledger-sink reads only the topology's events, through model (CONTRIBUTING.md, "
                    + "\"Module map\")");

    @ArchTest
    static final ArchRule productionCodeUsesNoTestLibrary = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.junit..", "org.assertj..", "net.jqwik..", "org.awaitility..", "com.tngtech.archunit..",
                    "io.zonky..", "dev.kassa.testing..", "dev.kassa.runtime..")
            .because("test libraries and the embedded Postgres are test-scoped in ledger-sink (CONTRIBUTING.md, "
                    + "\"Build guardrails\")");

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching("dev.kassa.ledger.(*)..")
            .should().beFreeOfCycles()
            .because("a package is one idea and the layering only points one way (CONTRIBUTING.md, "
                    + "\"Code style\" and \"Build guardrails\")");
}
