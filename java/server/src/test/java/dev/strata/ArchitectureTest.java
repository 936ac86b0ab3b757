package dev.strata;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The package-info rules hold on the production classes ({@link LayerRules}), and they bite: the same rules over
 * a fixture tree (dev.strata.archfixture, test code) with one wrong import of each kind report exactly those.
 */
class ArchitectureTest {

    private static final String FIXTURE = "dev.strata.archfixture";

    /** The test jars of strata-core and strata-s3 ({@code *-tests.jar}) on this module's test class path. */
    private static final Pattern TEST_JAR = Pattern.compile(".*-tests\\.jar.*");

    /**
     * The production classes of strata-core, strata-s3 and strata-server: this module's test class path holds
     * all three (as class folders in a reactor build, as jars otherwise), and also the test jars of core and s3,
     * which are test code.
     */
    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.matches(TEST_JAR))
            .importPackages("dev.strata");

    @Test
    void theProductionClassesKeepTheLayers() {
        // One class of each module: the rules must not pass because a module's classes were not imported.
        assertThat(PRODUCTION.contain("dev.strata.engine.EmbeddedStrata")).isTrue();
        assertThat(PRODUCTION.contain("dev.strata.storage.S3ObjectStore")).isTrue();
        assertThat(PRODUCTION.contain("dev.strata.server.StrataServer")).isTrue();
        assertThat(PRODUCTION.contain("dev.strata.cli.Main")).isTrue();
        assertThat(PRODUCTION.stream().noneMatch(c -> c.getPackageName().startsWith("dev.strata.testing")))
                .as("no test classes").isTrue();
        LayerRules.layers("dev.strata", false).check(PRODUCTION);
    }

    @Test
    void theLibraryJarsHoldNoDemoAndNoFaultOrLatencyInjectingStore() {
        // The demos live in java/examples, the injecting stores in strata-core's test jar.
        assertThat(PRODUCTION.stream().map(JavaClass::getName)
                .filter(n -> n.endsWith("Demo") || n.contains("Injecting")).toList()).isEmpty();
    }

    @Test
    void onlyMaintenanceStartsCompactionAndGcInTheEngine() {
        LayerRules.engineStartsMaintenanceInOnePlace("dev.strata").check(PRODUCTION);
    }

    @Test
    void thePackagesHaveNoCycles() {
        LayerRules.noCycles("dev.strata").check(PRODUCTION);
    }

    @Test
    void aWrongImportBreaksTheLayers() {
        List<String> violations = violations(LayerRules.layers(FIXTURE, true));
        // storage imports the api: the bottom layer reaching the top.
        assertThat(violations).anyMatch(v -> v.contains("storage.BadStore") && v.contains("api.FixtureRequest"));
        // segment imports query (the loop broken by moving the filter model to dev.strata.filter).
        assertThat(violations).anyMatch(v -> v.contains("segment.FixtureSegment") && v.contains("query.FixtureQuery"));
        // Allowed dependencies are not reported: wal on storage, query on segment.
        assertThat(violations).noneMatch(v -> origin(v).startsWith(FIXTURE + ".wal."));
        assertThat(violations).noneMatch(v -> origin(v).startsWith(FIXTURE + ".query."));
    }

    @Test
    void aClassOutsideEveryLayerBreaksTheLayers() {
        assertThat(violations(LayerRules.layers(FIXTURE, true)))
                .anyMatch(v -> v.contains("unlayered.NewPackageClass"));
    }

    @Test
    void anEngineClassStartingGcBreaksTheMaintenanceRule() {
        List<String> violations = violations(LayerRules.engineStartsMaintenanceInOnePlace(FIXTURE));
        assertThat(violations).anyMatch(v -> v.contains("engine.FixtureRuntime") && v.contains("gc.FixtureCollector"));
        // Maintenance itself may, and a report type may be seen anywhere in the engine.
        assertThat(violations).noneMatch(v -> origin(v).startsWith(FIXTURE + ".engine.Maintenance"));
        assertThat(violations).noneMatch(v -> v.contains("GcReport"));
    }

    @Test
    void aLoopBetweenTwoPackagesBreaksTheCycleRule() {
        List<String> violations = violations(LayerRules.noCycles(FIXTURE));
        assertThat(violations).anyMatch(v -> v.contains("Cycle detected") && v.contains("segment")
                && v.contains("query"));
    }

    /** The class or member a violation starts from: the first {@code <...>} of its line. */
    private static String origin(String violation) {
        int start = violation.indexOf('<');
        return start < 0 ? "" : violation.substring(start + 1, violation.indexOf('>', start));
    }

    private static List<String> violations(ArchRule rule) {
        JavaClasses fixture = new ClassFileImporter().importPackages(FIXTURE);
        assertThat(fixture).isNotEmpty();
        EvaluationResult result = rule.evaluate(fixture);
        assertThat(result.hasViolation()).as(rule.getDescription()).isTrue();
        return result.getFailureReport().getDetails();
    }
}
