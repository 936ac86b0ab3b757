package dev.strata.blockfile;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * Float32 vectors with a byte code each: the vectors exactly as {@link FloatVectorValueType} stores them
 * (column {@code value}), the codes in a second column {@code code}, FixedSizeList&lt;uint8&gt;[dim]. A decoded
 * block keeps the codes contiguous too (row {@code i} at byte {@code i * dim}, off-heap in the block's arena), so a
 * kernel scans a block's codes and reranks from its vectors without a copy.
 */
final class VectorWithCodeValueType extends ValueType<VectorWithCode> {

    static final String CODE_COLUMN = "code";

    private final FloatVectorValueType vectors;

    VectorWithCodeValueType(int dimension) {
        super(ValueKind.FLOAT_VECTOR_WITH_CODE, new ArrowType.FixedSizeList(dimension));
        this.vectors = new FloatVectorValueType(dimension);
    }

    @Override
    public int dimension() {
        return vectors.dimension();
    }

    @Override
    Field field() {
        return vectors.field();
    }

    @Override
    List<Field> fields() {
        Field item = new Field("item", FieldType.notNullable(new ArrowType.Int(8, false)), null);
        return List.of(vectors.field(),
                new Field(CODE_COLUMN, FieldType.notNullable(new ArrowType.FixedSizeList(dimension())), List.of(item)));
    }

    @Override
    void check(VectorWithCode value) {
        super.check(value);
        if (value.vector() == null || value.code() == null) {
            throw new IllegalArgumentException("a vector with code needs both");
        }
        vectors.check(value.vector());
        if (value.code().length != dimension()) {
            throw new IllegalArgumentException("code has " + value.code().length + " bytes, this blockfile stores " + dimension());
        }
    }

    @Override
    VectorWithCode retain(VectorWithCode value) {
        check(value);
        return new VectorWithCode(value.vector().clone(), value.code().clone());
    }

    @Override
    void writeRow(VectorSchemaRoot batch, int row, VectorWithCode value) {
        write(batch.getVector(VALUE_COLUMN), row, value);
        FixedSizeListVector list = (FixedSizeListVector) batch.getVector(CODE_COLUMN);
        UInt1Vector items = (UInt1Vector) list.getDataVector();
        int dim = dimension();
        int base = row * dim;
        byte[] code = value.code();
        for (int j = 0; j < dim; j++) {
            items.setSafe(base + j, code[j]);
        }
        list.setNotNull(row);
    }

    @Override
    void write(FieldVector vector, int row, VectorWithCode value) {
        vectors.write(vector, row, value.vector());
    }

    @Override
    ValueColumn<VectorWithCode> read(VectorSchemaRoot batch) {
        throw new UnsupportedOperationException("vectors with codes are read into their block's arena (BlockCodec)");
    }

    @Override
    boolean offHeap() {
        return true;
    }

    @Override
    ValueColumn<VectorWithCode> read(VectorSchemaRoot batch, Arena arena) {
        int rows = batch.getRowCount();
        FloatVectorValueType.FloatVectorColumn floats = vectors.read(batch.getVector(VALUE_COLUMN), rows, arena);
        long bytes = (long) rows * dimension();
        MemorySegment codes = arena.allocate(Math.max(bytes, 1), 64).asSlice(0, bytes);
        if (bytes > 0) {
            UInt1Vector items = (UInt1Vector) ((FixedSizeListVector) batch.getVector(CODE_COLUMN)).getDataVector();
            MemorySegment.copy(MemorySegment.ofBuffer(items.getDataBuffer().nioBuffer(0, Math.toIntExact(bytes))), 0, codes, 0, bytes);
        }
        return new CodedColumn(floats, codes, dimension());
    }

    @Override
    ValueColumn<VectorWithCode> read(FieldVector vector, int rows) {
        throw new UnsupportedOperationException("vectors with codes are read from the whole batch");
    }

    @Override
    int encodedSizeEstimate(VectorWithCode value) {
        return dimension() * (Float.BYTES + 1);
    }

    /** The vectors and codes of one block, each contiguous. */
    record CodedColumn(FloatVectorValueType.FloatVectorColumn floats, MemorySegment codes, int dimension)
            implements ValueColumn<VectorWithCode>, CodedVectors {
        @Override
        public VectorWithCode get(int row) {
            return new VectorWithCode(floats.get(row),
                    codes.asSlice((long) row * dimension, dimension).toArray(ValueLayout.JAVA_BYTE));
        }

        @Override
        public long sizeInBytes() {
            return floats.sizeInBytes() + codes.byteSize();
        }
    }
}
