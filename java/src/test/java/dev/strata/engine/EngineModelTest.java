package dev.strata.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Collection;
import dev.strata.api.CollectionConfiguration;
import dev.strata.api.GetResult;
import dev.strata.api.QueryRequest;
import dev.strata.api.QueryResult;
import dev.strata.api.Space;
import dev.strata.api.GetRequest;
import dev.strata.api.Include;
import dev.strata.api.Settings;
import dev.strata.catalog.CollectionRecord;
import dev.strata.query.EmptyVersion;
import dev.strata.query.InMemoryVersion;
import dev.strata.segment.Record;
import dev.strata.testing.ModelAssert;
import dev.strata.testing.RandomOps;
import dev.strata.testing.RandomOps.Compact;
import dev.strata.testing.RandomOps.Delete;
import dev.strata.testing.RandomOps.Get;
import dev.strata.testing.RandomOps.Op;
import dev.strata.testing.RandomOps.Query;
import dev.strata.testing.RandomOps.Restart;
import dev.strata.testing.RandomOps.Write;
import dev.strata.testing.ReferenceCollection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * Model-based test: random sequences of writes, reads, filtered queries and restarts applied to an
 * embedded Strata and to {@link ReferenceCollection} must give the same answers. Embeddings have
 * small integer coordinates, so l2 and ip distances are exact in float and ties are broken by
 * insertion order on both sides: query results must match exactly.
 */
class EngineModelTest {

    /** Compacted versions by collection and version number: what the test's VersionOpener opens. */
    private final Map<String, List<Record>> versions = new ConcurrentHashMap<>();

    @Property(tries = 20, shrinking = ShrinkingMode.BOUNDED)
    void strataAnswersLikeTheReference(@ForAll("spaces") Space space, @ForAll("ops") List<Op> ops) throws IOException {
        run(space, ops);
    }

    /**
     * The same with compactions: the test's compactor writes the collection's current records as a
     * new in-memory version at the applied log seq and publishes it, as the compaction layer will.
     */
    @Property(tries = 20, shrinking = ShrinkingMode.BOUNDED)
    void strataAnswersLikeTheReferenceAcrossCompactions(@ForAll("spaces") Space space,
            @ForAll("opsWithCompactions") List<Op> ops) throws IOException {
        run(space, ops);
    }

    /**
     * The same with the segment layer's versions: Compact ops run the real compactor (blockfiles,
     * HNSW index, catalog swing, log truncation) and then GC keeping one version with no grace, and
     * restarts reopen the compacted versions.
     */
    @Property(tries = 12, shrinking = ShrinkingMode.BOUNDED)
    void strataAnswersLikeTheReferenceAcrossSegmentCompactions(@ForAll("spaces") Space space,
            @ForAll("opsWithCompactions") List<Op> ops) throws IOException {
        run(space, ops, true);
    }

    private void run(Space space, List<Op> ops) throws IOException {
        run(space, ops, false);
    }

    private void run(Space space, List<Op> ops, boolean segments) throws IOException {
        Path dir = Files.createTempDirectory("strata-model");
        ReferenceCollection reference = new ReferenceCollection(space);
        versions.clear();
        VersionOpener opener = segments ? null : record -> record.version() == 0 ? EmptyVersion.INSTANCE
                : new InMemoryVersion(record.version(), record.logCursor(), space,
                        versions.get(record.id() + "/" + record.version()));
        // With segments, GC keeps only what the current (or a pinned) version names, at once.
        Settings settings = segments ? Settings.defaults(dir).withAll(Map.of("STRATA_GC_KEEP_VERSIONS", "1",
                "STRATA_GC_TTL_MS", "0", "STRATA_GC_GRACE_MS", "0")) : Settings.defaults(dir);
        EmbeddedStrata strata = EmbeddedStrata.open(settings, opener);
        try {
            Collection collection = strata.database().createCollection("model", null,
                    CollectionConfiguration.defaults().withSpace(space));
            for (Op op : ops) {
                switch (op) {
                    case Restart r -> {
                        strata.close();
                        strata = EmbeddedStrata.open(settings, opener);
                        collection = strata.database().getCollection("model");
                    }
                    case Compact c -> {
                        if (segments) {
                            collection.compact();
                            strata.collectGarbage();
                        } else {
                            compact(strata, collection);
                        }
                    }
                    case Write w -> {
                        Collection c = collection;
                        ModelAssert.same(() -> {
                            switch (w.kind()) {
                                case "add" -> c.add(w.records());
                                case "upsert" -> c.upsert(w.records());
                                default -> c.update(w.records());
                            }
                            return null;
                        }, () -> {
                            switch (w.kind()) {
                                case "add" -> reference.add(w.records());
                                case "upsert" -> reference.upsert(w.records());
                                default -> reference.update(w.records());
                            }
                            return null;
                        });
                    }
                    case Delete d -> {
                        Collection c = collection;
                        ModelAssert.same(() -> c.delete(d.request()), () -> reference.delete(d.request()));
                    }
                    case Get g -> {
                        GetResult expected = reference.get(g.request());
                        GetResult actual = collection.get(g.request());
                        ModelAssert.assertSameGet(actual, expected, g.request());
                    }
                    case Query q -> {
                        Collection c = collection;
                        QueryRequest r = q.request();
                        QueryRequest everything = new QueryRequest(r.queryEmbeddings(), r.nResults() + 64, r.ids(),
                                r.where(), r.whereDocument(), r.include());
                        ModelAssert.sameQuery(() -> c.query(r), () -> reference.query(r),
                                () -> reference.query(everything), r);
                    }
                }
                assertThat(collection.count()).as("count after %s", op).isEqualTo(reference.count());
            }
            ModelAssert.assertSameGet(collection.peek(1000), reference.peek(1000), null);
        } finally {
            strata.close();
            deleteTree(dir);
        }
    }

    private void compact(EmbeddedStrata strata, Collection collection) {
        CollectionRuntime runtime = strata.runtime(collection.id());
        long cursor = runtime.appliedSeq();
        GetResult all = collection.get(GetRequest.builder()
                .include(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS, Include.URIS).build());
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            records.add(new Record(all.ids().get(i), all.embeddings().get(i), all.documents().get(i),
                    all.metadatas().get(i), all.uris().get(i)));
        }
        CollectionRecord before = strata.catalog().getCollection(collection.id());
        long version = before.version() + 1;
        versions.put(collection.id() + "/" + version, records);
        CollectionRecord committed = strata.catalog().commitVersion(collection.id(), before.version(), version,
                "c/" + collection.id() + "/v/" + version + ".json", cursor);
        runtime.publish(committed);
    }

    static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Provide
    Arbitrary<Space> spaces() {
        return Arbitraries.of(Space.L2, Space.IP);
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        return RandomOps.ops(40, true, false);
    }

    @Provide
    Arbitrary<List<Op>> opsWithCompactions() {
        return RandomOps.ops(40, true, true);
    }
}
