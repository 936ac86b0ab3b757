package dev.strata.blockfile;

import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.ArrowType;

/** Boolean values. */
final class BoolValueType extends ValueType<Boolean> {

    BoolValueType() {
        super(ValueKind.BOOL, ArrowType.Bool.INSTANCE);
    }

    @Override
    void write(FieldVector vector, int row, Boolean value) {
        ((BitVector) vector).setSafe(row, value ? 1 : 0);
    }

    @Override
    ValueColumn<Boolean> read(FieldVector vector, int rows) {
        BitVector v = (BitVector) vector;
        boolean[] values = new boolean[rows];
        for (int i = 0; i < rows; i++) {
            values[i] = v.get(i) != 0;
        }
        return ValueColumn.of(row -> values[row], 16L + rows);
    }

    @Override
    int encodedSizeEstimate(Boolean value) {
        return 1;
    }
}
