package dev.strata.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.DeleteRequest;
import dev.strata.api.GetRequest;
import dev.strata.api.GetResult;
import dev.strata.api.Include;
import dev.strata.api.InvalidArgumentException;
import dev.strata.api.QueryRequest;
import dev.strata.api.QueryResult;
import dev.strata.api.RecordSet;
import dev.strata.api.Space;
import dev.strata.api.Where;
import dev.strata.api.WhereDocument;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReferenceCollectionTest {

    private ReferenceCollection c;

    @BeforeEach
    void seed() {
        c = new ReferenceCollection(Space.L2);
        c.add(RecordSet.builder().ids("a", "b", "c")
                .embeddings(new float[] {0, 0}, new float[] {1, 0}, new float[] {0, 3})
                .documents("the red fox", "a blue whale", null)
                .metadatas(Map.of("color", "red", "n", 1), Map.of("color", "blue", "n", 2.5), Map.of("tags", List.of("x", "y")))
                .build());
    }

    private List<String> ids(GetRequest request) {
        return c.get(request).ids();
    }

    @Test
    void getReturnsInsertionOrderWithDefaultInclude() {
        GetResult all = c.get(GetRequest.all());
        assertThat(all.ids()).containsExactly("a", "b", "c");
        assertThat(all.documents()).containsExactly("the red fox", "a blue whale", null);
        assertThat(all.metadatas().get(0)).containsEntry("n", 1L);
        assertThat(all.embeddings()).isNull();
        assertThat(c.count()).isEqualTo(3);
        assertThat(c.dimension()).hasValue(2);
    }

    @Test
    void getFiltersPagesAndHonoursIds() {
        assertThat(ids(GetRequest.builder().where(Where.gt("n", 1)).build())).containsExactly("b");
        assertThat(ids(GetRequest.builder().where(Where.ne("color", "red")).build())).containsExactly("b", "c");
        assertThat(ids(GetRequest.builder().where(Where.contains("tags", "y")).build())).containsExactly("c");
        assertThat(ids(GetRequest.builder().whereDocument(WhereDocument.contains("fox")).build())).containsExactly("a");
        assertThat(ids(GetRequest.builder().whereDocument(WhereDocument.notContains("fox")).build())).containsExactly("b", "c");
        assertThat(ids(GetRequest.builder().ids("c", "a", "zz").build())).containsExactly("a", "c");
        assertThat(ids(GetRequest.builder().ids("a", "b").where(Where.eq("color", "blue")).build())).containsExactly("b");
        assertThat(ids(GetRequest.builder().offset(1).limit(1).build())).containsExactly("b");
        assertThat(ids(GetRequest.builder().offset(5).build())).isEmpty();
        assertThat(ids(GetRequest.builder().limit(0).build())).isEmpty();
    }

    @Test
    void addOfExistingIdIsIgnoredAndUpdateOfMissingIdToo() {
        c.add(RecordSet.builder().ids("a", "d").embeddings(new float[] {9, 9}, new float[] {5, 5}).documents("new a", "d").build());
        c.update(RecordSet.builder().ids("zz").documents("ghost").build());
        GetResult all = c.get(GetRequest.all());
        assertThat(all.ids()).containsExactly("a", "b", "c", "d");
        assertThat(all.documents().getFirst()).isEqualTo("the red fox");
    }

    @Test
    void updateMergesMetadataAndKeepsAbsentFieldsAndPlace() {
        Map<String, Object> meta = new HashMap<>();
        meta.put("color", null);
        meta.put("size", 3);
        c.update(RecordSet.builder().ids("a").metadatas(meta).build());
        GetResult a = c.get(GetRequest.builder().ids("a").include(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS).build());
        assertThat(a.metadatas().getFirst()).isEqualTo(Map.of("n", 1L, "size", 3L));
        assertThat(a.documents().getFirst()).isEqualTo("the red fox");
        assertThat(a.embeddings().getFirst()).containsExactly(0, 0);
        assertThat(ids(GetRequest.all())).containsExactly("a", "b", "c");
    }

    @Test
    void upsertInsertsNewAndUpdatesExisting() {
        c.upsert(RecordSet.builder().ids("b", "e").embeddings(new float[] {7, 7}, new float[] {8, 8})
                .documents("whale 2", "e doc").build());
        GetResult r = c.get(GetRequest.builder().include(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS).build());
        assertThat(r.ids()).containsExactly("a", "b", "c", "e");
        assertThat(r.documents().get(1)).isEqualTo("whale 2");
        assertThat(r.metadatas().get(1)).containsEntry("color", "blue");
        assertThat(r.embeddings().get(1)).containsExactly(7, 7);
    }

    @Test
    void deleteByIdsOrFilterCountsWhatWasDeleted() {
        assertThat(c.delete(DeleteRequest.ofIds("a", "zz"))).isEqualTo(1);
        assertThat(c.delete(DeleteRequest.of(Where.eq("color", "nothing")))).isZero();
        assertThat(c.delete(new DeleteRequest(null, null, WhereDocument.contains("whale")))).isEqualTo(1);
        assertThat(ids(GetRequest.all())).containsExactly("c");
        c.add(RecordSet.builder().ids("a").embeddings(new float[] {1, 1}).build());
        assertThat(ids(GetRequest.all())).containsExactly("c", "a");
    }

    @Test
    void queryRanksByExactL2AndRespectsFiltersAndNResults() {
        QueryResult r = c.query(QueryRequest.builder().queryEmbeddings(new float[] {1, 0}, new float[] {0, 2}).nResults(2).build());
        assertThat(r.ids()).containsExactly(List.of("b", "a"), List.of("c", "a"));
        assertThat(r.distances().get(0)).containsExactly(0f, 1f);
        assertThat(r.distances().get(1)).containsExactly(1f, 4f);
        assertThat(r.embeddings()).isNull();
        QueryResult filtered = c.query(QueryRequest.builder().queryEmbeddings(new float[] {1, 0}).nResults(10)
                .where(Where.ne("color", "blue")).build());
        assertThat(filtered.ids()).containsExactly(List.of("a", "c"));
        assertThat(filtered.documents()).containsExactly(java.util.Arrays.asList("the red fox", null));
    }

    @Test
    void cosineAndIpDistancesFollowChroma() {
        ReferenceCollection cos = new ReferenceCollection(Space.COSINE);
        assertThat(cos.distance(new float[] {1, 0}, new float[] {2, 0})).isEqualTo(0f);
        assertThat(cos.distance(new float[] {1, 0}, new float[] {0, 5})).isEqualTo(1f);
        ReferenceCollection ip = new ReferenceCollection(Space.IP);
        assertThat(ip.distance(new float[] {1, 2}, new float[] {3, 4})).isEqualTo(-10f);
    }

    @Test
    void invalidWritesChangeNothing() {
        assertThatThrownBy(() -> c.add(RecordSet.builder().ids("x").embeddings(new float[] {1, 2, 3}).build()))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("Collection expecting embedding with dimension of 2, got 3");
        assertThatThrownBy(() -> c.add(RecordSet.builder().ids("x", "y").embeddings(new float[] {1, 2}, new float[] {1, Float.NaN}).build()))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(c.count()).isEqualTo(3);
    }

    @Test
    void peekReturnsTheFirstRecordsWithEmbeddings() {
        GetResult p = c.peek(2);
        assertThat(p.ids()).containsExactly("a", "b");
        assertThat(p.embeddings()).hasSize(2);
    }
}
