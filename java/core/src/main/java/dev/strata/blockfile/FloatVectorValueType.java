package dev.strata.blockfile;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * Float32 vectors of a fixed dimension, stored as Arrow FixedSizeList&lt;float32&gt;. A decoded block keeps
 * all its vectors in one contiguous row-major segment off-heap, from the block's own arena: native kernels
 * read it by address, and it is freed when the block's last reference is released ({@link BlockMemory}).
 */
final class FloatVectorValueType extends ValueType<float[]> {

    private final int dimension;

    FloatVectorValueType(int dimension) {
        super(ValueKind.FLOAT_VECTOR, new ArrowType.FixedSizeList(checkDimension(dimension)));
        this.dimension = dimension;
    }

    private static int checkDimension(int dimension) {
        if (dimension <= 0) {
            throw new IllegalArgumentException("vector dimension must be positive, got " + dimension);
        }
        return dimension;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    Field field() {
        Field item = new Field("item",
                FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
        return new Field(VALUE_COLUMN, FieldType.notNullable(new ArrowType.FixedSizeList(dimension)), List.of(item));
    }

    @Override
    void check(float[] value) {
        super.check(value);
        if (value.length != dimension) {
            throw new IllegalArgumentException("vector has dimension " + value.length + ", this blockfile stores " + dimension);
        }
    }

    @Override
    float[] retain(float[] value) {
        check(value);
        return value.clone();
    }

    @Override
    void write(FieldVector vector, int row, float[] value) {
        FixedSizeListVector list = (FixedSizeListVector) vector;
        Float4Vector items = (Float4Vector) list.getDataVector();
        int base = row * dimension;
        for (int j = 0; j < dimension; j++) {
            items.setSafe(base + j, value[j]);
        }
        list.setNotNull(row);
    }

    @Override
    boolean offHeap() {
        return true;
    }

    @Override
    ValueColumn<float[]> read(VectorSchemaRoot batch, Arena arena) {
        return read(batch.getVector(VALUE_COLUMN), batch.getRowCount(), arena);
    }

    @Override
    ValueColumn<float[]> read(FieldVector vector, int rows) {
        throw new UnsupportedOperationException("vectors are read into their block's arena (BlockCodec)");
    }

    FloatVectorColumn read(FieldVector vector, int rows, Arena arena) {
        long bytes = (long) rows * dimension * Float.BYTES;
        MemorySegment vectors = arena.allocate(Math.max(bytes, 1), 64).asSlice(0, bytes);
        if (bytes > 0) {
            Float4Vector items = (Float4Vector) ((FixedSizeListVector) vector).getDataVector();
            MemorySegment arrow = MemorySegment.ofBuffer(items.getDataBuffer().nioBuffer(0, Math.toIntExact(bytes)));
            MemorySegment.copy(arrow, 0, vectors, 0, bytes);
        }
        return new FloatVectorColumn(vectors, dimension);
    }

    /**
     * The block's vectors with codes computed now by {@code encoder}, both in the block's arena: a block of a
     * blockfile whose codes are derived, not stored ({@link BlockfileReader#withDerivedCodes}).
     */
    DerivedCodesColumn withCodes(FloatVectorColumn floats, Arena arena, VectorEncoder encoder) {
        int rows = Math.toIntExact(floats.vectors().byteSize() / ((long) dimension * Float.BYTES));
        long bytes = (long) rows * dimension;
        MemorySegment codes = arena.allocate(Math.max(bytes, 1), 64).asSlice(0, bytes);
        if (rows > 0) {
            encoder.encode(floats.vectors(), rows, dimension, codes);
        }
        return new DerivedCodesColumn(floats, codes);
    }

    @Override
    int encodedSizeEstimate(float[] value) {
        return dimension * Float.BYTES;
    }

    /** The vectors of one block; {@link #get} copies one row out, {@link #row} slices it without a copy. */
    record FloatVectorColumn(MemorySegment vectors, int dimension) implements ValueColumn<float[]> {
        @Override
        public float[] get(int row) {
            return row(row).toArray(ValueLayout.JAVA_FLOAT);
        }

        MemorySegment row(int row) {
            long stride = (long) dimension * Float.BYTES;
            return vectors.asSlice(row * stride, stride);
        }

        @Override
        public long sizeInBytes() {
            return 64 + vectors.byteSize();
        }
    }

    /** Vectors read from a block and codes derived from them when it was decoded; values are the vectors. */
    record DerivedCodesColumn(FloatVectorColumn floats, MemorySegment codes) implements ValueColumn<float[]>, CodedVectors {
        @Override
        public float[] get(int row) {
            return floats.get(row);
        }

        @Override
        public long sizeInBytes() {
            return floats.sizeInBytes() + codes.byteSize();
        }
    }
}
