package dev.kassa.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.slf4j.Logger;

/**
 * The naming conventions of CONTRIBUTING.md ("Code style") over the production classes of every module
 * the app is built from (all but the bench): one name for a class's logger, and a constant's
 * qualifiers last, as in {@code AMOUNT_MAX} and {@code COMMIT_INTERVAL_DEFAULT}.
 */
@AnalyzeClasses(packages = "dev.kassa", importOptions = ImportOption.DoNotIncludeTests.class)
class NamingConventionsTest {

    @ArchTest
    static final ArchRule loggersAreOnePrivateStaticFinalLog = fields().that().haveRawType(Logger.class)
            .should().bePrivate().andShould().beStatic().andShould().beFinal().andShould().haveName("LOG")
            .because("a class logs through one logger of its own, named alike everywhere (CONTRIBUTING.md, \"Code style\")");

    @ArchTest
    static final ArchRule constantsPutTheirQualifiersLast = noFields().that().areStatic().and().areFinal()
            .should().haveNameMatching("(DEFAULT|MAX|MIN)_[A-Z0-9_]+")
            .because("units and qualifiers go last, the default outermost: AMOUNT_MAX, COMMIT_INTERVAL_DEFAULT,"
                    + " RETRY_BACKOFF_MAX_DEFAULT (CONTRIBUTING.md, \"Code style\")");
}
