package dev.strata.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Arrow FixedSizeList vectors through the C Data Interface give the same answers as raw addresses. */
class ArrowBridgeTest {
    static final int DIM = 24;
    static BufferAllocator allocator;

    @BeforeAll
    static void open() {
        allocator = new RootAllocator();
    }

    @AfterAll
    static void close() {
        allocator.close();
    }

    static FixedSizeListVector arrow(float[][] rows) {
        FixedSizeListVector vector = FixedSizeListVector.empty("embeddings", rows[0].length, allocator);
        vector.addOrGetVector(FieldType.notNullable(new ArrowType.FloatingPoint(
                org.apache.arrow.vector.types.FloatingPointPrecision.SINGLE)));
        vector.allocateNew();
        Float4Vector values = (Float4Vector) vector.getDataVector();
        int dim = rows[0].length;
        for (int i = 0; i < rows.length; i++) {
            vector.setNotNull(i);
            for (int j = 0; j < dim; j++) {
                values.setSafe(i * dim + j, rows[i][j]);
            }
        }
        vector.setValueCount(rows.length);
        return vector;
    }

    @Test
    void kernelsOverArrowEqualKernelsOverAddresses() {
        float[][] rows = TestVectors.uniform(500, DIM, 9);
        float[] query = TestVectors.uniform(1, DIM, 10)[0];
        try (FixedSizeListVector vector = arrow(rows)) {
            for (Space space : Space.values()) {
                assertThat(DistanceKernels.distances(space, query, vector))
                        .containsExactly(DistanceKernels.distances(space, query, DistanceKernelsTest.packed(rows), rows.length));
                Neighbors viaArrow = DistanceKernels.topK(space, query, vector, 7);
                Neighbors viaAddress = DistanceKernels.topK(space, query, DistanceKernelsTest.packed(rows), rows.length, 7);
                assertThat(viaArrow.ids()).containsExactly(viaAddress.ids());
                assertThat(viaArrow.distances()).containsExactly(viaAddress.distances());
            }
        }
    }

    @Test
    void indexBuiltAndSearchedThroughArrowEqualsTheRawPath() {
        float[][] rows = TestVectors.clustered(1500, DIM, 10, 4);
        float[][] queries = TestVectors.clustered(20, DIM, 10, 5);
        long[] labels = TestVectors.labels(rows.length);
        try (FixedSizeListVector vectors = arrow(rows);
                FixedSizeListVector queryVectors = arrow(queries);
                HnswIndex viaArrow = HnswIndex.create(Space.COSINE, DIM, 12, 60, 100, 9);
                HnswIndex viaRaw = HnswIndex.create(Space.COSINE, DIM, 12, 60, 100, 9)) {
            viaArrow.add(labels, vectors);
            viaRaw.add(labels, rows);
            AllowList odd = AllowList.ofSorted(java.util.stream.LongStream.range(0, rows.length).filter(l -> l % 2 == 1).toArray());
            List<Neighbors> a = viaArrow.search(queryVectors, 10, odd);
            List<Neighbors> b = viaRaw.search(queries, 10, odd);
            for (int q = 0; q < queries.length; q++) {
                assertThat(a.get(q).ids()).containsExactly(b.get(q).ids());
                assertThat(a.get(q).distances()).containsExactly(b.get(q).distances());
            }
        }
    }

    @Test
    void rejectsNullsWrongChildTypeAndWrongDimension() {
        float[][] rows = TestVectors.uniform(3, DIM, 1);
        try (FixedSizeListVector withNull = arrow(rows); HnswIndex index = HnswIndex.create(Space.L2, DIM)) {
            withNull.setNull(1);
            assertThatThrownBy(() -> DistanceKernels.distances(Space.L2, rows[0], withNull))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null");
            try (FixedSizeListVector other = arrow(TestVectors.uniform(3, DIM + 1, 1))) {
                assertThatThrownBy(() -> index.add(new long[] {1, 2, 3}, other))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimension");
            }
        }
        try (FixedSizeListVector ints = FixedSizeListVector.empty("ints", 2, allocator)) {
            ints.addOrGetVector(FieldType.notNullable(new ArrowType.Int(32, true)));
            ints.allocateNew();
            ints.setValueCount(0);
            assertThatThrownBy(() -> DistanceKernels.distances(Space.L2, new float[2], ints))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("float32");
        }
    }
}
