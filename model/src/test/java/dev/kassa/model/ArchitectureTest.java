package dev.kassa.model;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * model is the shared vocabulary at the bottom of every module (CONTRIBUTING.md, "Module map"): it depends on
 * nothing of Kassa's, and no production class uses a test library. Each rule reads the compiled production
 * classes.
 */
@AnalyzeClasses(packages = "dev.kassa.model", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule modelDependsOnNothingOfKassas = noClasses()
            .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("dev.kassa..")
                    .and(JavaClass.Predicates.resideOutsideOfPackage("dev.kassa.model..")))
            .because("model has no internal dependencies; every other module depends on it (CONTRIBUTING.md, "
                    + "\"Module map\")");

    @ArchTest
    static final ArchRule productionCodeUsesNoTestLibrary = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.junit..", "org.assertj..", "net.jqwik..", "org.awaitility..", "com.tngtech.archunit..")
            .because("test libraries are test-scoped and absent from the shipped jar (CONTRIBUTING.md, "
                    + "\"Build guardrails\")");
}
