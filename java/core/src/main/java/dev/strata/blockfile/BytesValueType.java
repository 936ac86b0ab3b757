package dev.strata.blockfile;

import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.types.pojo.ArrowType;

/** Opaque byte values (encoded metadata maps). A read returns the block's array: callers must not modify it. */
final class BytesValueType extends ValueType<byte[]> {

    BytesValueType() {
        super(ValueKind.BYTES, ArrowType.Binary.INSTANCE);
    }

    @Override
    byte[] retain(byte[] value) {
        check(value);
        return value.clone();
    }

    @Override
    void write(FieldVector vector, int row, byte[] value) {
        ((VarBinaryVector) vector).setSafe(row, value);
    }

    @Override
    ValueColumn<byte[]> read(FieldVector vector, int rows) {
        byte[][] values = readBinary((VarBinaryVector) vector, rows);
        return ValueColumn.of(row -> values[row], binarySize(values));
    }

    static byte[][] readBinary(VarBinaryVector v, int rows) {
        byte[][] values = new byte[rows][];
        for (int i = 0; i < rows; i++) {
            values[i] = v.get(i);
        }
        return values;
    }

    static long binarySize(byte[][] values) {
        long bytes = 16L + 8L * values.length;
        for (byte[] b : values) {
            bytes += 16 + b.length;
        }
        return bytes;
    }

    @Override
    int encodedSizeEstimate(byte[] value) {
        return value.length + 4;
    }
}
