package dev.strata.blockfile;

import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.ArrowType;

/** Int64 values (offset ids, counters). */
final class LongValueType extends ValueType<Long> {

    LongValueType() {
        super(ValueKind.LONG, new ArrowType.Int(64, true));
    }

    @Override
    void write(FieldVector vector, int row, Long value) {
        ((BigIntVector) vector).setSafe(row, value);
    }

    @Override
    ValueColumn<Long> read(FieldVector vector, int rows) {
        BigIntVector v = (BigIntVector) vector;
        long[] values = new long[rows];
        for (int i = 0; i < rows; i++) {
            values[i] = v.get(i);
        }
        return ValueColumn.of(row -> values[row], 16L + 8L * rows);
    }

    @Override
    int encodedSizeEstimate(Long value) {
        return 8;
    }
}
