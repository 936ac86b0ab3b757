package dev.strata.blockfile;

import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/** Int64 values (offset ids, counters). */
final class LongValueType extends ValueType<Long> {

    @Override
    public ValueKind kind() {
        return ValueKind.LONG;
    }

    @Override
    Field field() {
        return new Field(VALUE_COLUMN, FieldType.notNullable(new ArrowType.Int(64, true)), null);
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
