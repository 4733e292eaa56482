package dev.kassa.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering of test-support as docs/testing.md ("The test kit") and CONTRIBUTING.md ("Module map", "Build
 * guardrails") describe it: the kit builds only on model and runtime, so that the tests of every service
 * module can use it without a cycle in Maven's reactor, and it reads Kafka and Postgres with clients of its
 * own, never through a service's code under test.
 */
@AnalyzeClasses(packages = "dev.kassa.testing", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule theKitUsesNoService = noClasses()
            .that().resideInAPackage("dev.kassa.testing..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "dev.kassa.api..", "dev.kassa.topology..", "dev.kassa.ledger..", "dev.kassa.fraud..",
                    "dev.kassa.processor..", "dev.kassa.app..", "dev.kassa.bench..")
            .because("ingest-api's and ledger-sink's tests use the kit, so it cannot depend on them, and its "
                    + "checks must not go through the code they check (docs/testing.md, \"The test kit\")");
}
