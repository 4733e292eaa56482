package dev.kassa.runtime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering of runtime as docs/architecture.md ("runtime") and CONTRIBUTING.md ("Module map", "Build
 * guardrails") describe it: the embedded servers and nothing of Kassa's, so that {@code kassa dev} and the
 * integration tests run the very services production runs; no production class uses a test library or the
 * test kit. Each rule reads the compiled production classes.
 */
@AnalyzeClasses(packages = "dev.kassa.runtime", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule theRuntimeOnlyStartsServers = noClasses()
            .that().resideInAPackage("dev.kassa.runtime..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "dev.kassa.model..", "dev.kassa.api..", "dev.kassa.topology..", "dev.kassa.ledger..",
                    "dev.kassa.fraud..", "dev.kassa.processor..", "dev.kassa.app..", "dev.kassa.bench..")
            .because("EmbeddedRuntime starts the three servers and nothing of Kassa's services, so tests and "
                    + "kassa dev run the very services production runs (docs/architecture.md, \"runtime\"; "
                    + "CONTRIBUTING.md, \"Module map\")");

    @ArchTest
    static final ArchRule productionCodeUsesNoTestLibrary = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.junit..", "org.assertj..", "net.jqwik..", "org.awaitility..", "com.tngtech.archunit..",
                    "dev.kassa.testing..")
            .because("kassa dev ships the runtime in kassa.jar, without test libraries or the test kit "
                    + "(CONTRIBUTING.md, \"Build guardrails\")");
}
