package dev.strata.blockfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.roaringbitmap.RoaringBitmap;

/**
 * RoaringBitmap values (posting lists of offset ids), in Roaring's portable serialization. The block
 * keeps the serialized bytes and each read deserializes a fresh bitmap, so a caller may modify what it
 * gets without touching the cached block.
 */
final class BitmapValueType extends ValueType<RoaringBitmap> {

    BitmapValueType() {
        super(ValueKind.BITMAP, ArrowType.Binary.INSTANCE);
    }

    @Override
    RoaringBitmap retain(RoaringBitmap value) {
        check(value);
        return value.clone();
    }

    @Override
    void write(FieldVector vector, int row, RoaringBitmap value) {
        ByteBuffer buf = ByteBuffer.allocate(value.serializedSizeInBytes());
        value.serialize(buf);
        ((VarBinaryVector) vector).setSafe(row, buf.array());
    }

    @Override
    ValueColumn<RoaringBitmap> read(FieldVector vector, int rows) {
        byte[][] values = BytesValueType.readBinary((VarBinaryVector) vector, rows);
        return ValueColumn.of(row -> deserialize(values[row]), BytesValueType.binarySize(values));
    }

    private static RoaringBitmap deserialize(byte[] bytes) {
        RoaringBitmap bitmap = new RoaringBitmap();
        try {
            bitmap.deserialize(ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            // The block passed its checksum, so this is a writer bug rather than bit rot.
            throw new UncheckedIOException("bitmap value does not deserialize", e);
        }
        return bitmap;
    }

    @Override
    int encodedSizeEstimate(RoaringBitmap value) {
        return value.serializedSizeInBytes() + 4;
    }
}
