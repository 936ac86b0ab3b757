package dev.strata.blockfile;

import dev.strata.storage.CorruptObjectException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.pojo.Field;

/** Encodes sorted entries as a block object and decodes block objects, verifying them. */
final class BlockCodec {

    private BlockCodec() {}

    static <V> byte[] encode(ValueType<V> type, List<BlockKey> keys, List<V> values) {
        byte[] framed = ArrowIpc.write(fields(type), keys.size(), batch -> {
            KeyColumns.write(keys, batch);
            for (int i = 0; i < values.size(); i++) {
                type.writeRow(batch, i, values.get(i));
            }
        }, Frame.HEADER_BYTES, Frame.TRAILER_BYTES);
        return Frame.wrap(Frame.BLOCK, type, keys.size(), framed);
    }

    /**
     * Decodes the block stored under {@code key}; {@code expectedCrc} is the checksum the root recorded
     * for it, so a valid block put under the wrong key is caught too.
     */
    static <V> Block<V> decode(String key, byte[] data, ValueType<V> type, int expectedCrc) {
        return decode(key, data, type, expectedCrc, null);
    }

    /** As {@link #decode(String, byte[], ValueType, int)}; a float-vector block gets codes from {@code codes} when not null. */
    @SuppressWarnings("unchecked")
    static <V> Block<V> decode(String key, byte[] data, ValueType<V> type, int expectedCrc, VectorEncoder codes) {
        Frame frame = Frame.unwrap(key, Frame.BLOCK, data);
        if (frame.crc() != expectedCrc) {
            throw new CorruptObjectException(key, "block checksum " + Integer.toHexString(frame.crc())
                    + " differs from the one its root recorded (" + Integer.toHexString(expectedCrc) + ")");
        }
        if (!frame.valueType().equals(type)) {
            throw new CorruptObjectException(key, "block holds " + frame.valueType() + " values, expected " + type);
        }
        if (!type.offHeap()) {
            return ArrowIpc.read(key, frame, fields(type), batch -> new Block<>(
                    key, KeyColumns.read(batch), type.read(batch)));
        }
        BlockMemory memory = new BlockMemory();
        try {
            return ArrowIpc.read(key, frame, fields(type), batch -> {
                ValueColumn<V> values = type.read(batch, memory.arena());
                if (codes != null && type instanceof FloatVectorValueType floats) {
                    values = (ValueColumn<V>) floats.withCodes((FloatVectorValueType.FloatVectorColumn) values, memory.arena(), codes);
                }
                return new Block<>(key, KeyColumns.read(batch), values, memory);
            });
        } catch (RuntimeException | Error e) {
            memory.release(); // nothing holds the half-decoded block
            throw e;
        }
    }

    private static List<Field> fields(ValueType<?> type) {
        List<Field> fields = new ArrayList<>(KeyColumns.FIELDS);
        fields.addAll(type.fields());
        return fields;
    }
}
