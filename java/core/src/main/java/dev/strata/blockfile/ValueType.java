package dev.strata.blockfile;

import java.lang.foreign.Arena;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.roaringbitmap.RoaringBitmap;

/**
 * The value type of a blockfile and its Arrow column codec. One blockfile holds one value type;
 * float vectors have one dimension per blockfile.
 */
public abstract sealed class ValueType<V>
        permits StringValueType, LongValueType, DoubleValueType, BoolValueType, BytesValueType,
                BitmapValueType, FloatVectorValueType, VectorWithCodeValueType {

    public static final ValueType<String> STRING = new StringValueType();
    public static final ValueType<Long> LONG = new LongValueType();
    public static final ValueType<Double> DOUBLE = new DoubleValueType();
    public static final ValueType<Boolean> BOOL = new BoolValueType();
    public static final ValueType<byte[]> BYTES = new BytesValueType();
    /** Bitmaps of offset ids; a read returns a fresh bitmap the caller owns. */
    public static final ValueType<RoaringBitmap> BITMAP = new BitmapValueType();

    static final String VALUE_COLUMN = "value";

    private final ValueKind kind;
    private final ArrowType arrowType;

    ValueType(ValueKind kind, ArrowType arrowType) {
        this.kind = kind;
        this.arrowType = arrowType;
    }

    /** Float32 vectors of {@code dimension} components, stored as Arrow FixedSizeList&lt;float32&gt;. */
    public static ValueType<float[]> floatVector(int dimension) {
        return new FloatVectorValueType(dimension);
    }

    /**
     * Float32 vectors of {@code dimension} components, each with a byte code of as many bytes: Arrow
     * FixedSizeList&lt;float32&gt; in {@code value} plus FixedSizeList&lt;uint8&gt; in {@code code}.
     */
    public static ValueType<VectorWithCode> floatVectorWithCode(int dimension) {
        return new VectorWithCodeValueType(dimension);
    }

    /** The type a header names, or null when the kind/dimension pair is not valid. */
    static ValueType<?> ofHeader(ValueKind kind, int dimension) {
        if (kind == ValueKind.FLOAT_VECTOR) {
            return dimension > 0 ? floatVector(dimension) : null;
        }
        if (kind == ValueKind.FLOAT_VECTOR_WITH_CODE) {
            return dimension > 0 ? floatVectorWithCode(dimension) : null;
        }
        if (dimension != 0) {
            return null;
        }
        return switch (kind) {
            case STRING -> STRING;
            case LONG -> LONG;
            case DOUBLE -> DOUBLE;
            case BOOL -> BOOL;
            case BYTES -> BYTES;
            case BITMAP -> BITMAP;
            case FLOAT_VECTOR, FLOAT_VECTOR_WITH_CODE -> throw new AssertionError();
        };
    }

    public final ValueKind kind() {
        return kind;
    }

    /** Vector dimension; 0 for every other kind. */
    public int dimension() {
        return 0;
    }

    /** The Arrow field of the value column. */
    Field field() {
        return new Field(VALUE_COLUMN, FieldType.notNullable(arrowType), null);
    }

    /** The Arrow fields a block stores values in, after the key columns: the value column, unless a type has more. */
    List<Field> fields() {
        return List.of(field());
    }

    /** Sets row {@code row} of a block's value columns. */
    void writeRow(VectorSchemaRoot batch, int row, V value) {
        write(batch.getVector(VALUE_COLUMN), row, value);
    }

    /** Copies a block's values out of Arrow memory, which is freed after this returns. */
    ValueColumn<V> read(VectorSchemaRoot batch) {
        return read(batch.getVector(VALUE_COLUMN), batch.getRowCount());
    }

    /** Whether a decoded block keeps its values off-heap ({@link #read(VectorSchemaRoot, Arena)}). */
    boolean offHeap() {
        return false;
    }

    /** As {@link #read(VectorSchemaRoot)}, with off-heap values allocated from {@code arena} (block-owned). */
    ValueColumn<V> read(VectorSchemaRoot batch, Arena arena) {
        return read(batch);
    }

    abstract void write(FieldVector vector, int row, V value);

    /** Copies {@code rows} values out of Arrow memory, which is freed after this returns. */
    abstract ValueColumn<V> read(FieldVector vector, int rows);

    /** Bytes this value adds to a block, for the block-size target. */
    abstract int encodedSizeEstimate(V value);

    /**
     * The value a writer keeps until commit: {@code value} checked, and copied when it is mutable, so a
     * caller reusing its array or bitmap after {@code set} cannot change what gets committed.
     */
    V retain(V value) {
        check(value);
        return value;
    }

    /** Rejects a value this type cannot store, with a message that says why. */
    void check(V value) {
        if (value == null) {
            throw new IllegalArgumentException("a " + kind() + " value must not be null (use delete to remove a key)");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValueType<?> t && t.kind() == kind() && t.dimension() == dimension();
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind(), dimension());
    }

    @Override
    public String toString() {
        return dimension() > 0 ? kind() + "(" + dimension() + ")" : kind().toString();
    }
}
