package dev.strata.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Collection;
import dev.strata.api.DeleteRequest;
import dev.strata.api.GetRequest;
import dev.strata.api.GetResult;
import dev.strata.api.Include;
import dev.strata.api.QueryRequest;
import dev.strata.api.RecordSet;
import dev.strata.api.Settings;
import dev.strata.engine.EmbeddedStrata;
import dev.strata.storage.ObjectMeta;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random histories of writes, compactions, forks (of forks), drops and GC runs on the real engine, with GC
 * keeping as little as it may (one version, no TTL, no grace): after every GC each live collection reads back
 * exactly what a model of it holds, also from a node with cold caches; and once everything is dropped, GC leaves
 * no object behind (so the property cannot pass by deleting nothing).
 */
class LineageGcPropertiesTest {

    enum Kind { WRITE, DELETE, COMPACT, FORK, DROP, GC }

    record Step(Kind kind, int target, int from, int count) {}

    @Provide
    Arbitrary<List<Step>> histories() {
        // Writes and compactions often: a fork matters once its source's later versions replace what it shares.
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(4, Kind.WRITE), net.jqwik.api.Tuple.of(1, Kind.DELETE),
                net.jqwik.api.Tuple.of(3, Kind.COMPACT), net.jqwik.api.Tuple.of(2, Kind.FORK),
                net.jqwik.api.Tuple.of(1, Kind.DROP), net.jqwik.api.Tuple.of(2, Kind.GC));
        Arbitrary<Step> step = Combinators.combine(
                kinds, Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(0, 40), Arbitraries.integers().between(1, 15))
                .as(Step::new);
        return step.list().ofMinSize(6).ofMaxSize(24);
    }

    @Property(tries = 12)
    void noObjectAnyKeptVersionNamesIsDeletedAndEverythingGoesInTheEnd(@ForAll("histories") List<Step> steps)
            throws IOException {
        Path dir = Files.createTempDirectory("lineage-gc");
        Settings settings = Settings.defaults(dir).withAll(Map.of(
                "STRATA_COMPACTION_THRESHOLD_RECORDS", "1000000", "STRATA_COMPACTION_INTERVAL_MS", "3600000",
                "STRATA_GC_KEEP_VERSIONS", "1", "STRATA_GC_TTL_MS", "0", "STRATA_GC_GRACE_MS", "0"));
        Map<String, Map<String, String>> model = new LinkedHashMap<>();
        try {
            EmbeddedStrata strata = EmbeddedStrata.open(settings);
            try {
                strata.database().createCollection("root", null, null);
                model.put("root", new TreeMap<>());
                int forks = 0;
                for (Step s : steps) {
                    List<String> names = new ArrayList<>(model.keySet());
                    String name = names.get(s.target() % names.size());
                    Collection c = strata.database().getCollection(name);
                    switch (s.kind()) {
                        case WRITE -> write(c, model.get(name), s);
                        case DELETE -> {
                            List<String> ids = new ArrayList<>();
                            for (int i = s.from(); i < s.from() + s.count(); i += 2) {
                                ids.add("id" + i);
                            }
                            c.delete(new DeleteRequest(ids, null, null));
                            ids.forEach(model.get(name)::remove);
                        }
                        case COMPACT -> c.compact();
                        case FORK -> {
                            String fork = "fork" + forks++;
                            c.fork(fork);
                            model.put(fork, new TreeMap<>(model.get(name)));
                        }
                        case DROP -> {
                            if (model.size() > 1) {
                                strata.database().deleteCollection(name);
                                model.remove(name);
                            }
                        }
                        case GC -> {
                            strata.collectGarbage();
                            assertMatches(strata, model);
                        }
                    }
                }
                strata.collectGarbage();
            } finally {
                strata.close();
            }
            // A node with cold caches reads everything from the store: nothing a live version names is gone.
            strata = EmbeddedStrata.open(settings);
            try {
                assertMatches(strata, model);
                for (String name : model.keySet()) {
                    strata.database().deleteCollection(name);
                }
                strata.collectGarbage();
                assertThat(strata.store().list("c/")).extracting(ObjectMeta::key)
                        .as("every object is reclaimed once no collection names it").isEmpty();
                assertThat(strata.catalog().droppedCollections()).isEmpty();
            } finally {
                strata.close();
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static void write(Collection c, Map<String, String> model, Step s) {
        RecordSet.Builder b = RecordSet.builder();
        List<String> ids = new ArrayList<>();
        List<float[]> embeddings = new ArrayList<>();
        List<String> documents = new ArrayList<>();
        for (int i = s.from(); i < s.from() + s.count(); i++) {
            ids.add("id" + i);
            embeddings.add(new float[] {i, s.target(), s.count()});
            documents.add("doc " + i + " " + s.target() + "/" + s.count());
        }
        c.upsert(b.ids(ids).embeddings(embeddings).documents(documents).build());
        for (int i = 0; i < ids.size(); i++) {
            model.put(ids.get(i), documents.get(i));
        }
    }

    private static void assertMatches(EmbeddedStrata strata, Map<String, Map<String, String>> model) {
        for (Map.Entry<String, Map<String, String>> e : model.entrySet()) {
            Collection c = strata.database().getCollection(e.getKey());
            GetResult all = c.get(GetRequest.builder().include(Include.DOCUMENTS).build());
            Map<String, String> actual = new TreeMap<>();
            for (int i = 0; i < all.ids().size(); i++) {
                actual.put(all.ids().get(i), all.documents().get(i));
            }
            assertThat(actual).as("collection %s", e.getKey()).isEqualTo(e.getValue());
            if (!actual.isEmpty()) {
                // The vector index of the compacted version is read too.
                assertThat(c.query(QueryRequest.builder().queryEmbeddings(new float[] {1, 1, 1}).nResults(3).build())
                        .ids().getFirst()).isNotEmpty().allSatisfy(id -> assertThat(actual).containsKey(id));
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
