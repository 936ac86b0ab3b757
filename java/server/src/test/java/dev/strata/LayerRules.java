package dev.strata;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.List;

/**
 * The rules of DESIGN.md's layer table and of each package's package-info.java, as ArchUnit rules over the
 * packages under {@code root}: {@code dev.strata} for the real code, a fixture package for the test that shows
 * a wrong import is caught. Each layer lists the layers it may depend on, copied from its package-info.java;
 * a package in no layer fails too, so a new package must be given its place here.
 */
final class LayerRules {

    private LayerRules() {
    }

    /** Every rule, for the classes under {@code root}; {@code fixture}: layers with no class are allowed. */
    static List<ArchRule> all(String root, boolean fixture) {
        return List.of(layers(root, fixture), engineStartsMaintenanceInOnePlace(root), noCycles(root));
    }

    /** Which package may depend on which: the layer table, top (cli) to bottom (storage, nativeio). */
    static ArchRule layers(String root, boolean fixture) {
        LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .withOptionalLayers(fixture)
                .ensureAllClassesAreContainedInArchitectureIgnoring(root)
                .layer("cli").definedBy(root + ".cli..")
                .layer("server").definedBy(root + ".server..")
                .layer("port").definedBy(root + ".ops.port..")
                .layer("engine").definedBy(root + ".engine..")
                .layer("api").definedBy(root + ".api..")
                .layer("ops").definedBy(root + ".ops")
                .layer("compaction").definedBy(root + ".compaction..")
                .layer("gc").definedBy(root + ".gc..")
                .layer("query").definedBy(root + ".query..")
                .layer("segment").definedBy(root + ".segment..")
                .layer("ivf").definedBy(root + ".ivf..")
                .layer("blockfile").definedBy(root + ".blockfile..")
                .layer("wal").definedBy(root + ".wal..")
                .layer("catalog").definedBy(root + ".catalog..")
                .layer("filter").definedBy(root + ".filter..")
                .layer("storage").definedBy(root + ".storage..")
                .layer("nativeio").definedBy(root + ".nativeio..")
                .layer("platform").definedBy(root + ".platform..")

                // cli wires everything (the command line's composition); nothing depends on it.
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                // server: Chroma's HTTP API over the embedded client only, never the layers below the api.
                .whereLayer("server").mayOnlyAccessLayers("api", "platform")
                // ops.port: talks to the local node only through the api.
                .whereLayer("port").mayOnlyAccessLayers("api")
                // engine: implements the api over the layers below; the node's composition root (compaction, GC).
                .whereLayer("engine").mayOnlyAccessLayers("api", "compaction", "gc", "query", "segment", "ivf",
                        "blockfile", "wal", "catalog", "filter", "storage", "nativeio", "platform")
                // api: types only, with the record, filter and storage settings models; reaches the engine
                // through the StrataFactory service, never by import.
                .whereLayer("api").mayOnlyAccessLayers("segment", "filter", "storage")
                // ops: operator tools of the maintenance layer; never the api, engine or server.
                .whereLayer("ops").mayOnlyAccessLayers("compaction", "gc", "segment", "ivf", "blockfile", "wal",
                        "catalog", "filter", "storage", "nativeio", "platform")
                // compaction: segment, wal, catalog, storage; never the api, engine, query or GC.
                .whereLayer("compaction").mayOnlyAccessLayers("segment", "wal", "catalog", "storage", "platform")
                // gc: the catalog, version manifests, blockfile roots and sealed logs; never the api.
                .whereLayer("gc").mayOnlyAccessLayers("segment", "blockfile", "wal", "catalog", "storage", "platform")
                // query: segment, nativeio and the layers below; never the api, engine or server.
                .whereLayer("query").mayOnlyAccessLayers("segment", "ivf", "blockfile", "wal", "catalog", "filter",
                        "storage", "nativeio", "platform")
                // segment: blockfile, ivf, nativeio, storage and the filter model; never query.
                .whereLayer("segment").mayOnlyAccessLayers("ivf", "blockfile", "filter", "storage", "nativeio", "platform")
                // ivf: blockfile, nativeio and storage; never segment.
                .whereLayer("ivf").mayOnlyAccessLayers("blockfile", "storage", "nativeio", "platform")
                // blockfile, wal, catalog: storage only.
                .whereLayer("blockfile").mayOnlyAccessLayers("storage")
                .whereLayer("wal").mayOnlyAccessLayers("storage")
                .whereLayer("catalog").mayOnlyAccessLayers("storage")
                // filter, storage, nativeio: the bottom; no other Strata package.
                .whereLayer("filter").mayNotAccessAnyLayer()
                .whereLayer("storage").mayNotAccessAnyLayer()
                .whereLayer("nativeio").mayNotAccessAnyLayer()
                // platform: thread priority; the bottom, callable from any layer.
                .whereLayer("platform").mayNotAccessAnyLayer();
        return layers.because("each package's package-info.java says which layers it may call (DESIGN.md section 1,"
                + " docs/architecture.md)");
    }

    /**
     * The engine builds and starts compaction and GC in {@code Maintenance} alone (engine/package-info.java); the
     * rest of the engine sees only what they report.
     */
    static ArchRule engineStartsMaintenanceInOnePlace(String root) {
        var maintenanceTypes = resideInAnyPackage(root + ".compaction..", root + ".gc..")
                .and(not(JavaClass.Predicates.simpleName("CompactionFailures")
                        .or(JavaClass.Predicates.simpleName("GcReport"))
                        .or(JavaClass.Predicates.simpleName("CompactionStats"))
                        .or(JavaClass.Predicates.simpleName("GcStats"))
                        .or(JavaClass.Predicates.belongTo(JavaClass.Predicates.simpleName("CompactionFailures")))))
                .as("compaction or GC classes other than their reports (CompactionFailures, GcReport, CompactionStats,"
                        + " GcStats)");
        return noClasses().that().resideInAPackage(root + ".engine..")
                .and().doNotHaveSimpleName("Maintenance")
                .should().dependOnClassesThat(maintenanceTypes)
                .because("Maintenance is the one class of the engine that builds and starts compaction and GC"
                        + " (engine/package-info.java)");
    }

    /** No two packages depend on each other, directly or through others. */
    static ArchRule noCycles(String root) {
        return slices().matching(root + ".(**)").should().beFreeOfCycles()
                .because("a layer calls only the layers below it (DESIGN.md section 1)");
    }
}
