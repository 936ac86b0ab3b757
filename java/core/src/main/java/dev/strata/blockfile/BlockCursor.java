package dev.strata.blockfile;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Walks a blockfile in key order from a start key to a {@link ScanBound}, loading each block only when reached.
 * Between calls it keeps its block without a reference (a stream its caller abandons leaks nothing); each call
 * takes one for its duration, and reads the block again if its memory was freed meanwhile.
 */
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
            try (Block<V> b = reader.block(blockIndex)) {
                block = b;
                int pos = b.keys().search(start);
                row = pos >= 0 ? (startInclusive ? pos : pos + 1) : -pos - 1;
            }
        }
    }

    @Override
    public boolean hasNext() {
        while (next == null && !done) {
            Block<V> b = acquire();
            try {
                if (row < b.size()) {
                    if (bound.passed(b.keys(), row)) {
                        done = true;
                    } else {
                        next = new BlockfileEntry<>(b.key(row), b.value(row));
                        row++;
                    }
                } else if (++blockIndex < reader.blockCount()) {
                    block = null;
                    row = 0;
                } else {
                    done = true;
                }
            } finally {
                b.release();
            }
        }
        return next != null;
    }

    /** The current block with a reference, read again when it was never read or its memory was freed. */
    private Block<V> acquire() {
        if (block == null || !block.retain()) {
            block = reader.block(blockIndex);
        }
        return block;
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
