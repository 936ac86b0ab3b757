package dev.strata.blockfile;

import dev.strata.storage.Cacheable;
import dev.strata.storage.CorruptObjectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * A decoded root: the sparse index of a blockfile (one row per block, in key order). Stored in the same
 * {@link Frame} as blocks (magic {@code SRT1}) with an Arrow batch of the block's first-key columns plus
 * {@code block_id}, {@code entries}, {@code data_bytes} and {@code block_crc}. Immutable, heap only.
 */
final class Root implements Cacheable {

    private static final String BLOCK_ID = "block_id";
    private static final String ENTRIES = "entries";
    private static final String DATA_BYTES = "data_bytes";
    private static final String BLOCK_CRC = "block_crc";
    private static final List<Field> FIELDS = fields();

    private final ValueType<?> valueType;
    private final KeyColumns firstKeys;
    private final List<BlockRef> blocks;
    private final long entryCount;

    private Root(ValueType<?> valueType, KeyColumns firstKeys, List<BlockRef> blocks) {
        this.valueType = valueType;
        this.firstKeys = firstKeys;
        this.blocks = List.copyOf(blocks);
        this.entryCount = blocks.stream().mapToLong(BlockRef::entries).sum();
    }

    private static List<Field> fields() {
        List<Field> fields = new ArrayList<>(KeyColumns.FIELDS);
        fields.add(new Field(BLOCK_ID, FieldType.notNullable(ArrowType.Utf8.INSTANCE), null));
        fields.add(new Field(ENTRIES, FieldType.notNullable(new ArrowType.Int(32, true)), null));
        fields.add(new Field(DATA_BYTES, FieldType.notNullable(new ArrowType.Int(64, true)), null));
        fields.add(new Field(BLOCK_CRC, FieldType.notNullable(new ArrowType.Int(32, true)), null));
        return List.copyOf(fields);
    }

    static byte[] encode(ValueType<?> type, List<BlockRef> blocks) {
        byte[] framed = ArrowIpc.write(FIELDS, blocks.size(), batch -> {
            KeyColumns.write(blocks.stream().map(BlockRef::firstKey).toList(), batch);
            VarCharVector ids = (VarCharVector) batch.getVector(BLOCK_ID);
            IntVector entries = (IntVector) batch.getVector(ENTRIES);
            BigIntVector bytes = (BigIntVector) batch.getVector(DATA_BYTES);
            IntVector crcs = (IntVector) batch.getVector(BLOCK_CRC);
            for (int i = 0; i < blocks.size(); i++) {
                BlockRef b = blocks.get(i);
                ids.setSafe(i, b.blockId().getBytes(StandardCharsets.UTF_8));
                entries.setSafe(i, b.entries());
                bytes.setSafe(i, b.dataBytes());
                crcs.setSafe(i, b.crc());
            }
        }, Frame.HEADER_BYTES, Frame.TRAILER_BYTES);
        return Frame.wrap(Frame.ROOT, type, blocks.size(), framed);
    }

    static Root decode(String key, byte[] data) {
        Frame frame = Frame.unwrap(key, Frame.ROOT, data);
        Root root = ArrowIpc.read(key, frame, FIELDS, batch -> {
            KeyColumns firstKeys = KeyColumns.read(batch);
            VarCharVector ids = (VarCharVector) batch.getVector(BLOCK_ID);
            IntVector entries = (IntVector) batch.getVector(ENTRIES);
            BigIntVector bytes = (BigIntVector) batch.getVector(DATA_BYTES);
            IntVector crcs = (IntVector) batch.getVector(BLOCK_CRC);
            List<BlockRef> blocks = new ArrayList<>(firstKeys.size());
            for (int i = 0; i < firstKeys.size(); i++) {
                blocks.add(new BlockRef(firstKeys.key(i), new String(ids.get(i), StandardCharsets.UTF_8),
                        entries.get(i), bytes.get(i), crcs.get(i)));
            }
            return new Root(frame.valueType(), firstKeys, blocks);
        });
        for (int i = 1; i < root.blocks.size(); i++) {
            if (root.blocks.get(i - 1).firstKey().compareTo(root.blocks.get(i).firstKey()) >= 0) {
                throw new CorruptObjectException(key, "root first keys are not ascending at block " + i);
            }
        }
        return root;
    }

    ValueType<?> valueType() {
        return valueType;
    }

    List<BlockRef> blocks() {
        return blocks;
    }

    long entryCount() {
        return entryCount;
    }

    /**
     * The block whose range holds {@code key}: the last block whose first key is &lt;= key, or block 0
     * for a key before every block; -1 when the blockfile is empty.
     */
    int blockFor(BlockKey key) {
        if (blocks.isEmpty()) {
            return -1;
        }
        int i = firstKeys.search(key);
        return i >= 0 ? i : Math.max(0, -i - 2);
    }

    @Override
    public long sizeInBytes() {
        return 64 + firstKeys.sizeInBytes() + blocks.size() * 120L;
    }
}
