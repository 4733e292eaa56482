package dev.kassa.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package layering of app as docs/architecture.md ("app") and CONTRIBUTING.md ("Module map", "Build
 * guardrails") describe it: the services run against real servers and only {@code kassa dev} (in
 * {@code cli}) starts the embedded runtime (module runtime, whose own ArchitectureTest keeps it free of
 * Kassa's services); no package cycle; no production class uses a test library or the test kit. Each rule
 * reads the compiled production classes.
 */
@AnalyzeClasses(packages = "dev.kassa.app", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule theServicesNeverStartTheEmbeddedRuntime = noClasses()
            .that().resideInAnyPackage("dev.kassa.app", "dev.kassa.app.state..")
            .should().dependOnClassesThat().resideInAPackage("dev.kassa.runtime..")
            .because("kassa api, kassa topology and kassa sink run one service against real servers; only kassa "
                    + "dev starts Kafka, Postgres and Redis in-process (docs/architecture.md, \"app\")");

    @ArchTest
    static final ArchRule productionCodeUsesNoTestLibrary = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.junit..", "org.assertj..", "net.jqwik..", "org.awaitility..", "com.tngtech.archunit..",
                    "dev.kassa.testing..")
            .because("test libraries and the test kit are test-scoped and absent from kassa.jar (CONTRIBUTING.md, "
                    + "\"Build guardrails\")");

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching("dev.kassa.app.(*)..")
            .should().beFreeOfCycles()
            .because("a package is one idea and the layering only points one way (CONTRIBUTING.md, "
                    + "\"Code style\" and \"Build guardrails\")");
}
