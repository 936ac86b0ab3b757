package dev.strata.blockfile;

import java.nio.charset.StandardCharsets;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.pojo.ArrowType;

/** UTF-8 string values (documents, URIs, user ids). */
final class StringValueType extends ValueType<String> {

    StringValueType() {
        super(ValueKind.STRING, ArrowType.Utf8.INSTANCE);
    }

    @Override
    void write(FieldVector vector, int row, String value) {
        ((VarCharVector) vector).setSafe(row, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    ValueColumn<String> read(FieldVector vector, int rows) {
        VarCharVector v = (VarCharVector) vector;
        String[] values = new String[rows];
        long bytes = 16L + 8L * rows;
        for (int i = 0; i < rows; i++) {
            values[i] = new String(v.get(i), StandardCharsets.UTF_8);
            bytes += 40 + values[i].length();
        }
        return ValueColumn.of(row -> values[row], bytes);
    }

    @Override
    void check(String value) {
        super.check(value);
        Utf8.requireWellFormed(value, "string value");
    }

    @Override
    int encodedSizeEstimate(String value) {
        return Utf8.length(value) + 4;
    }
}
