package dev.strata.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.AlreadyExistsException;
import dev.strata.api.Collection;
import dev.strata.api.CollectionConfiguration;
import dev.strata.api.ConfigurationUpdate;
import dev.strata.api.Database;
import dev.strata.api.DeleteRequest;
import dev.strata.api.GetRequest;
import dev.strata.api.InternalException;
import dev.strata.api.InvalidArgumentException;
import dev.strata.api.NotFoundException;
import dev.strata.api.QueryRequest;
import dev.strata.api.QueryResult;
import dev.strata.api.RecordSet;
import dev.strata.api.Settings;
import dev.strata.api.Space;
import dev.strata.api.Strata;
import dev.strata.api.Where;
import dev.strata.storage.ObjectStoreException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedStrataTest {

    @TempDir
    Path dir;

    private EmbeddedStrata strata;

    @BeforeEach
    void open() {
        strata = EmbeddedStrata.open(Settings.defaults(dir));
    }

    @AfterEach
    void close() {
        strata.close();
    }

    private static RecordSet records(int from, int to) {
        RecordSet.Builder b = RecordSet.builder();
        List<String> ids = new ArrayList<>();
        List<float[]> embeddings = new ArrayList<>();
        List<String> documents = new ArrayList<>();
        List<Map<String, Object>> metadatas = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids.add("r" + i);
            embeddings.add(new float[] {i, 0, 1});
            documents.add("document " + i);
            metadatas.add(Map.of("i", i, "even", i % 2 == 0));
        }
        return b.ids(ids).embeddings(embeddings).documents(documents).metadatas(metadatas).build();
    }

    private long logged(Collection c) {
        return strata.wal().lastSeq(CollectionRuntime.logName(c.id()));
    }

    /**
     * Several query embeddings in one request that find the same compacted records (each read once) and records of
     * the log tail: every row is the answer its embedding gets alone.
     */
    @Test
    void queriesSharingRecordsInOneRequestEachGetTheirOwnAnswer() {
        Collection c = strata.database().createCollection("shared", null, null);
        c.add(records(0, 40));
        c.compact();
        c.add(records(40, 45)); // in the tail
        c.upsert(records(10, 11)); // a compacted record overridden by the tail
        float[] a = {12, 0, 1};
        float[] b = {41, 0, 1};
        QueryRequest.Builder both = QueryRequest.builder().nResults(6)
                .include(dev.strata.api.Include.DISTANCES, dev.strata.api.Include.DOCUMENTS,
                        dev.strata.api.Include.METADATAS);
        QueryResult together = c.query(both.queryEmbeddings(List.of(a, b, a)).build());
        QueryResult aAlone = c.query(both.queryEmbeddings(List.of(a)).build());
        QueryResult bAlone = c.query(both.queryEmbeddings(List.of(b)).build());

        assertThat(together.ids()).containsExactly(aAlone.ids().getFirst(), bAlone.ids().getFirst(),
                aAlone.ids().getFirst());
        assertThat(together.ids().getFirst()).containsExactly("r12", "r11", "r13", "r10", "r14", "r9");
        assertThat(together.ids().get(1)).containsExactly("r41", "r40", "r42", "r39", "r43", "r38");
        assertThat(together.distances()).containsExactly(aAlone.distances().getFirst(),
                bAlone.distances().getFirst(), aAlone.distances().getFirst());
        assertThat(together.documents().getFirst()).containsExactly("document 12", "document 11", "document 13",
                "document 10", "document 14", "document 9");
        assertThat(together.metadatas().get(2)).isEqualTo(aAlone.metadatas().getFirst());
        assertThat(together.metadatas().get(1).getFirst()).containsEntry("i", 41L);
    }

    @Test
    void aRejectedBatchLogsNothing() {
        Collection c = strata.database().createCollection("things", null, null);
        c.add(records(0, 3));
        long before = logged(c);

        assertThatThrownBy(() -> c.add(RecordSet.builder().ids("x").embeddings(new float[] {1, 2}).build()))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("dimension of 3, got 2");
        assertThatThrownBy(() -> c.add(RecordSet.builder().ids("x", "x")
                .embeddings(new float[] {1, 2, 3}, new float[] {1, 2, 3}).build()))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("duplicates of: x");
        assertThatThrownBy(() -> c.upsert(RecordSet.builder().ids("y").embeddings(new float[] {1, 2, 3})
                .metadatas(List.of(Map.of("$bad", 1))).build()))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("$bad");
        assertThatThrownBy(() -> c.update(RecordSet.builder().ids("r1").documents("a", "b").build()))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("Unequal lengths");

        assertThat(logged(c)).isEqualTo(before);
        assertThat(c.count()).isEqualTo(3);
        assertThat(c.get(GetRequest.builder().ids("x", "y").build()).ids()).isEmpty();
    }

    @Test
    void theFirstEmbeddingFixesTheDimensionInTheCatalog() {
        Collection c = strata.database().createCollection("dims", null, null);
        assertThat(c.dimension()).isEmpty();
        c.add(RecordSet.builder().ids("a").embeddings(new float[] {1, 2, 3, 4}).build());
        assertThat(c.dimension()).hasValue(4);
        assertThat(strata.catalog().getCollection(c.id()).dimension()).isEqualTo(4);
        assertThatThrownBy(() -> c.query(QueryRequest.builder().queryEmbeddings(new float[] {1, 2}).build()))
                .isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void concurrentWritersEachReadTheirOwnWrites() throws Exception {
        Collection c = strata.database().createCollection("busy", null, null);
        int writers = 8;
        int perWriter = 25;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    int seen = 0;
                    for (int i = 0; i < perWriter; i++) {
                        String id = "w" + writer + "-" + i;
                        c.add(RecordSet.builder().ids(id).embeddings(new float[] {writer, i, 1})
                                .metadatas(List.of(Map.of("writer", writer))).build());
                        if (c.get(GetRequest.builder().ids(id).build()).ids().equals(List.of(id))) {
                            seen++;
                        }
                    }
                    return seen;
                }));
            }
            for (Future<Integer> f : done) {
                assertThat(f.get()).isEqualTo(perWriter);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(c.count()).isEqualTo(writers * perWriter);
        assertThat(logged(c)).isEqualTo(writers * perWriter);
        assertThat(c.get(GetRequest.builder().where(Where.eq("writer", 3)).build()).ids())
                .hasSize(perWriter).allMatch(id -> id.startsWith("w3-"));
        // Group commit: writers waiting at once shared fsyncs instead of queueing one each.
        assertThat(strata.wal().stats().fsyncs()).isLessThan(writers * perWriter);
    }

    @Test
    void aRestartRebuildsTheTailFromTheLog() {
        Collection c = strata.database().createCollection("durable", Map.of("owner", "me"),
                CollectionConfiguration.defaults().withSpace(Space.IP));
        c.add(records(0, 20));
        c.update(RecordSet.builder().ids("r5").documents("changed").build());
        c.delete(DeleteRequest.of(Where.gte("i", 18)));
        List<String> before = c.get(GetRequest.all()).ids();

        strata.close();
        strata = EmbeddedStrata.open(Settings.defaults(dir));
        Collection reopened = strata.database().getCollection("durable");

        assertThat(reopened.id()).isEqualTo(c.id());
        assertThat(reopened.metadata()).isEqualTo(Map.of("owner", "me"));
        assertThat(reopened.configuration().space()).isEqualTo(Space.IP);
        assertThat(reopened.dimension()).hasValue(3);
        assertThat(reopened.get(GetRequest.all()).ids()).isEqualTo(before).hasSize(18);
        assertThat(reopened.get(GetRequest.builder().ids("r5").build()).documents()).containsExactly("changed");
        reopened.add(records(20, 22));
        assertThat(reopened.count()).isEqualTo(20);
        QueryResult q = reopened.query(QueryRequest.builder().queryEmbeddings(new float[] {1, 0, 0}).nResults(2).build());
        assertThat(q.ids().getFirst()).containsExactly("r21", "r20");
    }

    @Test
    void lowerLayerErrorsSurfaceAsApiErrors() {
        Database db = strata.database();
        db.createCollection("taken", null, null);
        assertThatThrownBy(() -> db.createCollection("taken", null, null)).isInstanceOf(AlreadyExistsException.class)
                .hasMessageContaining("taken");
        assertThatThrownBy(() -> db.getCollection("missing")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("missing");
        assertThatThrownBy(() -> db.createCollection("a", null, null)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> strata.getDatabase("nobody", "default_database")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> strata.createTenant("default_tenant")).isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> db.getCollection("taken").modify(null, null,
                ConfigurationUpdate.fromMap(Map.of("hnsw", Map.of("space", "ip")))))
                .isInstanceOf(InvalidArgumentException.class);

        Collection gone = db.getCollection("taken");
        db.deleteCollection("taken");
        assertThatThrownBy(gone::count).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> gone.add(records(0, 1))).isInstanceOf(NotFoundException.class);

        assertThat(Errors.translate(new ObjectStoreException("bucket unreachable", "c/x/b/1")))
                .isInstanceOf(InternalException.class).hasMessageContaining("bucket unreachable");
        assertThat(Errors.translate(new dev.strata.storage.UnsupportedFormatVersionException("c/x/b/1", "block", 2, 1, 1)))
                .isInstanceOf(InternalException.class).hasMessageContaining("cannot read")
                .hasMessageContaining("block format version 2 was written by a newer Strata").hasMessageContaining("c/x/b/1");
        assertThat(Errors.translate(new dev.strata.catalog.ConflictException("dimension is 3")))
                .isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void afterAFailedAppendWritesAreRefusedButReadsGoOn() {
        Collection c = strata.database().createCollection("fragile", null, null);
        c.add(records(0, 2));
        strata.wal().close();
        assertThatThrownBy(() -> c.add(records(2, 3))).isInstanceOf(InternalException.class);
        assertThatThrownBy(() -> c.add(records(3, 4))).isInstanceOf(InternalException.class)
                .hasMessageContaining("refused until Strata is reopened");
        assertThat(c.get(GetRequest.all()).ids()).containsExactly("r0", "r1");
    }

    @Test
    void collectionsAndDatabasesAreManagedThroughTheCatalog() {
        strata.createTenant("acme");
        Database db = strata.createDatabase("acme", "prod");
        Collection a = db.createCollection("alpha", null, null);
        db.getOrCreateCollection("beta", Map.of("hnsw:space", "cosine"), null);
        assertThat(db.getOrCreateCollection("alpha", Map.of("ignored", true), null).id()).isEqualTo(a.id());
        assertThat(db.getCollection("beta").configuration().space()).isEqualTo(Space.COSINE);
        assertThat(db.listCollections(null, 0)).extracting(Collection::name).containsExactly("alpha", "beta");
        assertThat(db.countCollections()).isEqualTo(2);

        a.modify("gamma", Map.of("v", 2), ConfigurationUpdate.efSearch(50));
        assertThat(a.name()).isEqualTo("gamma");
        assertThat(a.metadata()).isEqualTo(Map.of("v", 2L));
        assertThat(a.configuration().efSearch()).isEqualTo(50);

        a.add(records(0, 2));
        strata.deleteDatabase("acme", "prod");
        assertThatThrownBy(() -> strata.getDatabase("acme", "prod")).isInstanceOf(NotFoundException.class);
        assertThat(strata.wal().collections()).doesNotContain(CollectionRuntime.logName(a.id()));
    }

    @Test
    void metersReadTheLayersCounters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        strata.bindMetrics(registry);
        Collection c = strata.database().createCollection("metered", null, null);
        c.add(records(0, 5));
        c.add(records(5, 10));
        assertThat(registry.get("strata.wal.appends").functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("strata.wal.fsyncs").functionCounter().count()).isBetween(1.0, 2.0);
        // Creating the collection rewrote the catalog manifest with a conditional PUT.
        assertThat(registry.get("strata.object.store.requests").tag("op", "put_conditional").functionCounter().count())
                .isGreaterThanOrEqualTo(1);
        assertThat(registry.get("strata.collections.open").gauge().value()).isEqualTo(1);
        assertThat(registry.get("strata.tail.records").gauge().value()).isEqualTo(10);
        c.compact();
        assertThat(registry.get("strata.tail.records").gauge().value()).isZero();
        assertThat(registry.get("strata.cache.hits").tag("tier", "memory").functionCounter().count()).isNotNegative();
        assertThat(registry.get("strata.warm.index.bytes").gauge().value()).isNotNegative();
        c.query(dev.strata.api.QueryRequest.builder().queryEmbeddings(new float[] {1, 2, 3}).nResults(3).build());
        c.query(dev.strata.api.QueryRequest.builder().queryEmbeddings(new float[] {1, 2, 3}).nResults(3)
                .where(dev.strata.api.Where.eq("i", 4)).build());
        for (String stage : List.of("tail", "filter", "search", "read")) {
            assertThat(registry.get("strata.query.stage").tag("stage", stage).timer().count()).as(stage).isEqualTo(2);
        }
    }

    @Test
    void openByPathUsesTheDefaults() {
        strata.close();
        try (Strata s = Strata.open(dir)) {
            // Strata.open finds the engine through META-INF/services (the API does not import it).
            assertThat(s).isInstanceOf(EmbeddedStrata.class);
            s.database().createCollection("by-path", null, null).add(records(0, 1));
            assertThat(s.database().getCollection("by-path").count()).isEqualTo(1);
        }
        strata = EmbeddedStrata.open(Settings.defaults(dir));
    }
}
