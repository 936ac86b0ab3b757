package dev.strata.blockfile;

import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;

/** Float64 values. */
final class DoubleValueType extends ValueType<Double> {

    DoubleValueType() {
        super(ValueKind.DOUBLE, new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE));
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
