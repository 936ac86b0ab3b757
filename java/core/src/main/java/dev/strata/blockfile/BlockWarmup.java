package dev.strata.blockfile;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.roaringbitmap.RoaringBitmap;

/**
 * Encodes and decodes one tiny block of each value type: the Arrow IPC classes a node's first reads need are then
 * loaded and linked (a fresh node's first query spent about 200 ms reading its first record blocks).
 */
public final class BlockWarmup {

    private static final int ROWS = 4;
    private static final int DIM = 8;

    private BlockWarmup() {}

    /** Encodes and decodes each kind of block once (nothing is stored or cached). */
    public static void run() {
        roundTrip(ValueType.STRING, i -> "document " + i);
        roundTrip(ValueType.LONG, i -> (long) i);
        roundTrip(ValueType.DOUBLE, i -> i / 2.0);
        roundTrip(ValueType.BOOL, i -> i % 2 == 0);
        roundTrip(ValueType.BYTES, i -> new byte[] {(byte) i});
        roundTrip(ValueType.BITMAP, i -> RoaringBitmap.bitmapOf(i, i + 7));
        roundTrip(ValueType.floatVector(DIM), i -> new float[DIM]);
    }

    private static <V> void roundTrip(ValueType<V> type, IntFunction<V> value) {
        List<BlockKey> keys = new ArrayList<>();
        List<V> values = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            keys.add(BlockKey.ofInt("w", i));
            values.add(value.apply(i));
        }
        byte[] data = BlockCodec.encode(type, keys, values);
        VectorEncoder codes = (vectors, rows, dimension, out) -> out.fill((byte) 0);
        try (Block<V> block = BlockCodec.decode("warm-up", data, type, Frame.storedCrc(data), codes)) {
            block.value(0);
        }
    }
}
