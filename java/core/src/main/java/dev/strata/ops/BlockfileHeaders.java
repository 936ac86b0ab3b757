package dev.strata.ops;

import dev.strata.blockfile.ValueKind;
import dev.strata.blockfile.ValueType;
import dev.strata.storage.CorruptObjectException;
import java.nio.ByteBuffer;

/**
 * The value type a blockfile root declares in its header (docs/blockfile.md: magic[4], version u8,
 * value kind u8, reserved u16, dimension i32, big-endian), so a tool can open and decode the blocks of
 * a blockfile without knowing which segment part it belongs to. Only called after the root has passed
 * its checksum.
 */
final class BlockfileHeaders {

    static final int HEADER_BYTES = 16;

    private BlockfileHeaders() {}

    static ValueType<?> valueTypeOf(String rootKey, byte[] header) {
        if (header.length < HEADER_BYTES) {
            throw new CorruptObjectException(rootKey, "root header truncated: " + header.length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(header);
        int tag = in.get(5) & 0xff;
        int dimension = in.getInt(8);
        ValueKind[] kinds = ValueKind.values();
        if (tag >= kinds.length) {
            throw new CorruptObjectException(rootKey, "root header names unknown value kind " + tag);
        }
        return switch (kinds[tag]) {
            case STRING -> ValueType.STRING;
            case LONG -> ValueType.LONG;
            case DOUBLE -> ValueType.DOUBLE;
            case BOOL -> ValueType.BOOL;
            case BYTES -> ValueType.BYTES;
            case BITMAP -> ValueType.BITMAP;
            case FLOAT_VECTOR -> ValueType.floatVector(dimension);
            case FLOAT_VECTOR_WITH_CODE -> ValueType.floatVectorWithCode(dimension);
        };
    }
}
