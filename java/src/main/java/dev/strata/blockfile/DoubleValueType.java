package dev.strata.blockfile;

import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/** Float64 values. */
final class DoubleValueType extends ValueType<Double> {

    @Override
    public ValueKind kind() {
        return ValueKind.DOUBLE;
    }

    @Override
    Field field() {
        return new Field(VALUE_COLUMN,
                FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)), null);
    }

    @Override
    void write(FieldVector vector, int row, Double value) {
        ((Float8Vector) vector).setSafe(row, value);
    }

    @Override
    ValueColumn<Double> read(FieldVector vector, int rows) {
        Float8Vector v = (Float8Vector) vector;
        double[] values = new double[rows];
        for (int i = 0; i < rows; i++) {
            values[i] = v.get(i);
        }
        return ValueColumn.of(row -> values[row], 16L + 8L * rows);
    }

    @Override
    int encodedSizeEstimate(Double value) {
        return 8;
    }
}
