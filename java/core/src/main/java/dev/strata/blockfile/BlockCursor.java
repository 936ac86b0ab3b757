package dev.strata.blockfile;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** Walks a blockfile in key order from a start key to a {@link ScanBound}, loading each block only when reached. */
final class BlockCursor<V> implements Iterator<BlockfileEntry<V>> {

    private final BlockfileReader<V> reader;
    private final ScanBound bound;
    private int blockIndex;
    private int row;
    private Block<V> block;
    private BlockfileEntry<V> next;
    private boolean done;

    /** A cursor at {@code start} (every key when null), skipping {@code start} itself when not inclusive. */
    BlockCursor(BlockfileReader<V> reader, BlockKey start, boolean startInclusive, ScanBound bound) {
        this.reader = reader;
        this.bound = bound;
        if (reader.blockCount() == 0) {
            done = true;
        } else if (start != null) {
            blockIndex = reader.blockIndexOf(start);
            block = reader.block(blockIndex);
            int pos = block.keys().search(start);
            row = pos >= 0 ? (startInclusive ? pos : pos + 1) : -pos - 1;
        }
    }

    @Override
    public boolean hasNext() {
        while (next == null && !done) {
            if (block == null) {
                block = reader.block(blockIndex);
            }
            if (row < block.size()) {
                if (bound.passed(block.keys(), row)) {
                    done = true;
                } else {
                    next = new BlockfileEntry<>(block.key(row), block.value(row));
                    row++;
                }
            } else if (++blockIndex < reader.blockCount()) {
                block = null;
                row = 0;
            } else {
                done = true;
            }
        }
        return next != null;
    }

    @Override
    public BlockfileEntry<V> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        BlockfileEntry<V> e = next;
        next = null;
        return e;
    }
}
