package dev.strata.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.AlreadyExistsException;
import dev.strata.api.Collection;
import dev.strata.api.DeleteRequest;
import dev.strata.api.GetRequest;
import dev.strata.api.GetResult;
import dev.strata.api.Include;
import dev.strata.api.IndexingStatus;
import dev.strata.api.InvalidArgumentException;
import dev.strata.api.QueryRequest;
import dev.strata.api.RecordSet;
import dev.strata.api.Settings;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectMeta;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fork on the real engine: what the fork holds, what it shares, how it diverges, and what GC does with it. */
class ForkTest {

    @TempDir
    Path dir;

    private EmbeddedStrata strata;

    @BeforeEach
    void open() {
        // Compaction only when asked, GC keeps nothing it need not: the sharing is all that protects objects.
        strata = EmbeddedStrata.open(settings());
    }

    private Settings settings() {
        return Settings.defaults(dir).withAll(Map.of(
                "STRATA_COMPACTION_THRESHOLD_RECORDS", "1000000", "STRATA_COMPACTION_INTERVAL_MS", "3600000",
                "STRATA_GC_KEEP_VERSIONS", "1", "STRATA_GC_TTL_MS", "0", "STRATA_GC_GRACE_MS", "0"));
    }

    @AfterEach
    void close() {
        strata.close();
    }

    static RecordSet records(int from, int to, String tag) {
        List<String> ids = new ArrayList<>();
        List<float[]> embeddings = new ArrayList<>();
        List<String> documents = new ArrayList<>();
        List<Map<String, Object>> metadatas = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids.add("id" + i);
            embeddings.add(new float[] {i, i % 7, 1f});
            documents.add(tag + " document " + i);
            metadatas.add(Map.of("i", i, "tag", tag));
        }
        return RecordSet.builder().ids(ids).embeddings(embeddings).documents(documents).metadatas(metadatas).build();
    }

    static GetResult all(Collection c) {
        return c.get(GetRequest.builder().include(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS).build());
    }

    private List<String> keysUnder(java.util.UUID collection) {
        return strata.store().list(ObjectLayout.collectionFolder(collection)).stream().map(ObjectMeta::key).toList();
    }

    @Test
    void aForkHoldsTheCompactedVersionAndTheTailAndSharesEveryObject() {
        Collection source = strata.database().createCollection("source", Map.of("owner", "me"), null);
        source.add(records(0, 300, "a"));
        source.compact();
        source.add(records(300, 350, "a")); // in the log tail only
        source.delete(new DeleteRequest(List.of("id7"), null, null));

        Collection fork = source.fork("forked");

        assertThat(fork.name()).isEqualTo("forked");
        assertThat(fork.id()).isNotEqualTo(source.id());
        assertThat(fork.metadata()).isEqualTo(Map.of("owner", "me"));
        assertThat(fork.configuration()).isEqualTo(source.configuration());
        assertThat(fork.count()).isEqualTo(349);
        assertThat(all(fork).ids()).isEqualTo(all(source).ids());
        assertThat(all(fork).documents()).isEqualTo(all(source).documents());
        // The fork's own prefix holds its manifest and nothing else: blocks, roots and index are the source's.
        assertThat(keysUnder(fork.id())).singleElement().satisfies(k -> assertThat(k).contains("/v/"));
        assertThat(fork.indexingStatus()).isEqualTo(new IndexingStatus(349, 0));
        assertThat(fork.query(QueryRequest.builder().queryEmbeddings(new float[] {5, 5, 1}).nResults(1).build()).ids().getFirst())
                .containsExactly("id5");
    }

    @Test
    void theForkAndTheSourceDivergeFromTheForkOn() {
        Collection source = strata.database().createCollection("source", null, null);
        source.add(records(0, 100, "a"));
        Collection fork = source.fork("forked");

        source.add(records(100, 110, "a"));
        fork.upsert(records(0, 5, "b"));
        fork.delete(new DeleteRequest(List.of("id50"), null, null));
        source.compact();
        fork.compact();

        assertThat(source.count()).isEqualTo(110);
        assertThat(fork.count()).isEqualTo(99);
        assertThat(source.get(GetRequest.builder().ids("id0").include(Include.DOCUMENTS).build()).documents())
                .containsExactly("a document 0");
        assertThat(fork.get(GetRequest.builder().ids("id0").include(Include.DOCUMENTS).build()).documents())
                .containsExactly("b document 0");
        assertThat(source.get(GetRequest.builder().ids("id50").build()).ids()).containsExactly("id50");
    }

    /** The source moves on and GC reclaims its old versions, but not what the fork's version still names. */
    @Test
    void theSourcesLaterVersionsAndGcLeaveTheForkWhole() {
        Collection source = strata.database().createCollection("source", null, null);
        source.add(records(0, 300, "a"));
        source.compact();
        Collection forked = source.fork("forked");
        for (int round = 0; round < 3; round++) {
            source.upsert(records(0, 300, "r" + round));
            source.compact();
            strata.collectGarbage();
        }
        strata.database().deleteCollection("source");
        strata.collectGarbage();

        strata.close();
        strata = EmbeddedStrata.open(settings());
        Collection fork = strata.database().getCollection("forked");
        assertThat(fork.id()).isEqualTo(forked.id());
        assertThat(all(fork).documents()).hasSize(300).allSatisfy(d -> assertThat(d).startsWith("a document"));
        assertThat(fork.query(QueryRequest.builder().queryEmbeddings(new float[] {9, 2, 1}).nResults(1).build()).ids()
                .getFirst()).containsExactly("id9");
    }

    @Test
    void forkCountCountsTheLineageAndNamesAreChecked() {
        Collection source = strata.database().createCollection("source", null, null);
        source.add(records(0, 10, "a"));
        assertThat(source.forkCount()).isZero();
        Collection first = source.fork("fork1");
        assertThat(source.forkCount()).isEqualTo(1);
        first.fork("fork2");
        assertThat(source.forkCount()).isEqualTo(2);
        assertThat(first.forkCount()).isEqualTo(2);

        assertThatThrownBy(() -> source.fork("fork1")).isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> source.fork("a")).isInstanceOf(InvalidArgumentException.class);
        assertThat(strata.database().countCollections()).isEqualTo(3);
    }

    @Test
    void anEmptyCollectionForksToAnEmptyCollection() {
        Collection source = strata.database().createCollection("empty", null, null);
        Collection fork = source.fork("empty-fork");
        assertThat(fork.count()).isZero();
        fork.add(records(0, 3, "x"));
        assertThat(fork.count()).isEqualTo(3);
        assertThat(source.count()).isZero();
    }

    @Test
    void sharedObjectsOutliveTheDroppedSourceAndGoOnceNoOneNamesThem() {
        Collection source = strata.database().createCollection("source", null, null);
        source.add(records(0, 200, "a"));
        Collection forked = source.fork("forked");
        List<String> sourceObjects = keysUnder(source.id());
        assertThat(sourceObjects).isNotEmpty();

        strata.database().deleteCollection("source");
        strata.collectGarbage();

        // Everything the fork's version names is still there: a node with cold caches reads it from the store.
        strata.close();
        strata = EmbeddedStrata.open(settings());
        Collection fork = strata.database().getCollection("forked");
        assertThat(fork.id()).isEqualTo(forked.id());
        assertThat(all(fork).ids()).hasSize(200);
        assertThat(keysUnder(source.id())).isNotEmpty().allSatisfy(k -> assertThat(sourceObjects).contains(k));
        assertThat(strata.catalog().droppedCollections()).extracting(d -> d.collection().id()).contains(source.id());

        // Once the fork stops naming them (rewritten by its own compactions, then dropped), they go.
        strata.database().deleteCollection("forked");
        strata.collectGarbage();
        assertThat(keysUnder(source.id())).isEmpty();
        assertThat(keysUnder(fork.id())).isEmpty();
        assertThat(strata.catalog().droppedCollections()).isEmpty();
    }
}
