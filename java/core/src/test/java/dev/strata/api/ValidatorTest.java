package dev.strata.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.segment.LogBatch;
import dev.strata.segment.LogOperation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValidatorTest {

    private final Validator validator = new Validator(4);
    private static final OptionalInt NONE = OptionalInt.empty();

    private static RecordSet.Builder two() {
        return RecordSet.builder().ids("a", "b").embeddings(new float[] {1, 2}, new float[] {3, 4});
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "my_collection", "my-collection", "my.collection", "MyCollection123", "a1b"})
    void acceptsChromaCollectionNames(String name) {
        assertThatCode(() -> Validator.validateCollectionName(name)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "", "_abc", "abc-", "a b c", "abc/def", "caf\u00e9x"})
    void rejectsBadCollectionNamesWithChromasMessage(String name) {
        assertThatThrownBy(() -> Validator.validateCollectionName(name)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("Expected a name containing 3-512 characters");
    }

    @Test
    void rejectsDoubleDotsIpAddressesAndOverlongNames() {
        assertThatThrownBy(() -> Validator.validateCollectionName("a..b")).hasMessageContaining("two consecutive periods");
        assertThatThrownBy(() -> Validator.validateCollectionName("192.168.1.1")).hasMessageContaining("not a valid ip address");
        assertThatCode(() -> Validator.validateCollectionName("999.168.1.1")).doesNotThrowAnyException();
        assertThatCode(() -> Validator.validateCollectionName("a".repeat(512))).doesNotThrowAnyException();
        assertThatThrownBy(() -> Validator.validateCollectionName("a".repeat(513))).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Validator.validateTenantName("ab")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Validator.validateDatabaseName(null)).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void convertsAValidAddToACanonicalLogBatch() {
        Map<String, Object> meta = Map.of("n", 1, "f", 2.5f, "tags", List.of("x"));
        LogBatch batch = validator.toLogBatch(LogOperation.ADD,
                two().documents("d1", null).metadatas(meta, null).build(), OptionalInt.of(2));
        assertThat(batch.operation()).isEqualTo(LogOperation.ADD);
        assertThat(batch.metadata(0)).containsEntry("n", 1L).containsEntry("f", 2.5).containsEntry("tags", List.of("x"));
        assertThat(batch.metadata(1)).isNull();
        assertThat(batch.document(1)).isNull();
        assertThat(batch.embedding(1)).containsExactly(3, 4);
    }

    @Test
    void rejectsDuplicateAndEmptyIds() {
        assertThatThrownBy(() -> validator.toLogBatch(LogOperation.ADD,
                RecordSet.builder().ids("a", "b", "a").embeddings(new float[] {1}, new float[] {1}, new float[] {1}).build(), NONE))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("Expected IDs to be unique, found duplicates of: a");
        assertThatThrownBy(() -> validator.toLogBatch(LogOperation.ADD, RecordSet.builder().ids(List.of()).build(), NONE))
                .hasMessageContaining("non-empty list");
        assertThatThrownBy(() -> validator.toLogBatch(LogOperation.ADD,
                RecordSet.builder().ids("").embeddings(new float[] {1}).build(), NONE)).hasMessageContaining("non-empty string");
    }

    @Test
    void rejectsUnequalLengths() {
        assertThatThrownBy(() -> validator.toLogBatch(LogOperation.ADD, two().documents("only one").build(), NONE))
                .hasMessage("Unequal lengths for fields: ids: 2, embeddings: 2, documents: 1 in add.");
    }

    @Test
    void rejectsWrongDimensionsAndNonFiniteValues() {
        assertThatThrownBy(() -> validator.toLogBatch(LogOperation.ADD, two().build(), OptionalInt.of(3)))
                .hasMessage("Collection expecting embedding with dimension of 3, got 2");
        assertThatThrownBy(() -> validator.toLogBatch(LogOperation.ADD,
                RecordSet.builder().ids("a", "b").embeddings(new float[] {1}, new float[] {1, 2}).build(), NONE))
                .hasMessageContaining("same dimension");
        assertThatThrownBy(() -> validator.toLogBatch(LogOperation.ADD,
                RecordSet.builder().ids("a").embeddings(new float[] {Float.NaN}).build(), NONE))
                .hasMessageContaining("finite");
        assertThatThrownBy(() -> validator.toLogBatch(LogOperation.UPSERT,
                RecordSet.builder().ids("a").embeddings(new float[] {Float.POSITIVE_INFINITY}).build(), NONE))
                .hasMessageContaining("finite");
    }

    @Test
    void embeddingsAreRequiredForAddAndUpsertButNotUpdate() {
        RecordSet docsOnly = RecordSet.builder().ids("a").documents("d").build();
        assertThatThrownBy(() -> validator.toLogBatch(LogOperation.ADD, docsOnly, NONE)).hasMessageContaining("Embeddings are required");
        assertThatThrownBy(() -> validator.toLogBatch(LogOperation.UPSERT, docsOnly, NONE)).hasMessageContaining("Embeddings are required");
        assertThat(validator.toLogBatch(LogOperation.UPDATE, docsOnly, NONE).embeddings()).isNull();
        RecordSet partly = RecordSet.builder().ids("a", "b").embeddings(Arrays.asList(new float[] {1}, null)).build();
        assertThat(validator.toLogBatch(LogOperation.UPDATE, partly, OptionalInt.of(1)).embedding(1)).isNull();
    }

    @Test
    void checksMetadataKeysAndValues() {
        assertThatThrownBy(() -> add(Map.of("$bad", 1))).hasMessage("Invalid metadata at index 0: Metadata key cannot start with '#' or '$': $bad");
        assertThatThrownBy(() -> add(Map.of("#bad", 1))).hasMessageContaining("cannot start with");
        assertThatThrownBy(() -> add(Map.of("", 1))).hasMessageContaining("Metadata key cannot be empty");
        assertThatThrownBy(() -> add(Map.of("k", new Object()))).hasMessageContaining("key k: unsupported value type");
        assertThatThrownBy(() -> add(Map.of("k", Map.of("nested", 1))))
                .hasMessageContaining("key k: unsupported value type object: expected str, int, float or bool");
        assertThatThrownBy(() -> add(Map.of("k", List.of()))).hasMessageContaining("empty");
        assertThatThrownBy(() -> add(Map.of("k", List.of(1, "x")))).hasMessageContaining("mixes int and str");
        assertThatThrownBy(() -> add(Map.of("k", Double.NaN))).hasMessageContaining("not finite");
    }

    @Test
    void nullMetadataValuesOnlyInUpdateAndUpsert() {
        Map<String, Object> meta = new HashMap<>();
        meta.put("gone", null);
        assertThatThrownBy(() -> add(meta)).hasMessageContaining("only allowed in update and upsert");
        RecordSet rs = RecordSet.builder().ids("a").embeddings(new float[] {1}).metadatas(meta).build();
        assertThat(validator.toLogBatch(LogOperation.UPSERT, rs, NONE).metadata(0)).containsEntry("gone", null);
        assertThat(validator.toLogBatch(LogOperation.UPDATE, rs, NONE).metadata(0)).containsEntry("gone", null);
    }

    @Test
    void aWriteLargerThanTheAnnouncedBatchSizeIsTakenWhole() {
        List<String> ids = new ArrayList<>();
        List<float[]> es = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add("id" + i);
            es.add(new float[] {i});
        }
        assertThat(validator.maxBatchSize()).isEqualTo(4);
        assertThat(validator.toLogBatch(LogOperation.ADD, RecordSet.builder().ids(ids).embeddings(es).build(), NONE).ids())
                .isEqualTo(ids);
        assertThat(new Validator().maxBatchSize()).isEqualTo(5461);
    }

    @Test
    void checksReadRequests() {
        assertThatThrownBy(() -> validator.validateGet(GetRequest.builder().limit(-1).build())).hasMessageContaining("limit");
        assertThatThrownBy(() -> validator.validateGet(GetRequest.builder().offset(-1).build())).hasMessageContaining("offset");
        assertThatThrownBy(() -> validator.validateGet(GetRequest.builder().include(Include.DISTANCES).build()))
                .hasMessageContaining("distances");
        assertThatCode(() -> validator.validateGet(GetRequest.builder().ids(List.of()).limit(0).build())).doesNotThrowAnyException();
        QueryRequest.Builder q = QueryRequest.builder().queryEmbeddings(new float[] {1, 2});
        assertThatThrownBy(() -> validator.validateQuery(q.nResults(0).build(), NONE)).hasMessageContaining("n_results");
        assertThatThrownBy(() -> validator.validateQuery(q.nResults(1).build(), OptionalInt.of(3)))
                .hasMessage("Collection expecting embedding with dimension of 3, got 2");
        assertThatThrownBy(() -> validator.validateQuery(QueryRequest.builder().build(), NONE)).hasMessageContaining("query embeddings");
        assertThatThrownBy(() -> validator.validateDelete(new DeleteRequest(null, null, null))).hasMessageContaining("At least one of");
        assertThatCode(() -> validator.validateDelete(DeleteRequest.of(Where.eq("k", 1)))).doesNotThrowAnyException();
    }

    @Test
    void collectionMetadataMustBeNonEmptyWhenGiven() {
        assertThat(Validator.validateCollectionMetadata(null)).isNull();
        assertThatThrownBy(() -> Validator.validateCollectionMetadata(Map.of())).hasMessage("Metadata cannot be empty");
        assertThat(Validator.validateCollectionMetadata(Map.of("hnsw:space", "cosine"))).containsEntry("hnsw:space", "cosine");
    }

    private LogBatch add(Map<String, Object> metadata) {
        return validator.toLogBatch(LogOperation.ADD,
                RecordSet.builder().ids("a").embeddings(new float[] {1}).metadatas(metadata).build(), NONE);
    }
}
