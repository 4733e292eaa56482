package dev.kassa.fraud;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * fraud-rules is the rule language, pure and I/O-free (CONTRIBUTING.md, "Module map"; docs/fraud.md): of
 * Kassa it uses only model, it touches no Kafka, database or network, and no production class uses a test
 * library. Each rule reads the compiled production classes.
 */
@AnalyzeClasses(packages = "dev.kassa.fraud", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule fraudRulesUseOnlyModel = noClasses()
            .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("dev.kassa..")
                    .and(JavaClass.Predicates.resideOutsideOfPackages("dev.kassa.model..", "dev.kassa.fraud..")))
            .because("fraud-rules depends on model only; the topology evaluates the rules, not the other way "
                    + "round (CONTRIBUTING.md, \"Module map\")");

    @ArchTest
    static final ArchRule fraudRulesDoNoIo = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.apache.kafka..", "java.sql..", "javax.sql..", "java.net..", "java.nio.file..")
            .because("the rule language is pure and I/O-free: the topology hands it a feature snapshot "
                    + "(CONTRIBUTING.md, \"Module map\")");

    @ArchTest
    static final ArchRule productionCodeUsesNoTestLibrary = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.junit..", "org.assertj..", "net.jqwik..", "org.awaitility..", "com.tngtech.archunit..")
            .because("test libraries are test-scoped and absent from the shipped jar (CONTRIBUTING.md, "
                    + "\"Build guardrails\")");
}
