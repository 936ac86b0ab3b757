package dev.strata.blockfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockCodecTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static byte[] encodeVectors(ValueType<float[]> type, List<BlockKey> keys, List<float[]> values) {
        return BlockCodec.encode(type, keys, values);
    }

    /**
     * A block is written into one array sized from its Arrow buffers, then trimmed and framed in place: encoding it
     * allocates about twice its bytes on the heap, Arrow's metadata included (a stream grown from 32 bytes, its copy out and the frame's copy
     * made about six times).
     */
    @Test
    void encodingABlockAllocatesAboutItsOwnBytesOnTheHeapAndDecodesBack() {
        int dim = 384;
        ValueType<float[]> type = ValueType.floatVector(dim);
        Random r = new Random(1);
        List<BlockKey> keys = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        for (int i = 0; i < 160; i++) {
            keys.add(BlockKey.ofInt("v", i));
            float[] v = new float[dim];
            for (int j = 0; j < dim; j++) {
                v[j] = r.nextFloat();
            }
            values.add(v);
        }
        for (int warm = 0; warm < 20; warm++) {
            encodeVectors(type, keys, values);
        }
        long before = THREADS.getCurrentThreadAllocatedBytes();
        byte[] block = encodeVectors(type, keys, values);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertThat(block.length).isGreaterThan(160 * dim * Float.BYTES);
        assertThat(allocated).as("heap bytes allocated to encode a %d-byte block", block.length)
                .isLessThan(5L * block.length / 2);

        Frame frame = Frame.unwrap("k", Frame.BLOCK, block);
        assertThat(frame.rows()).isEqualTo(160);
        assertThat(frame.payloadOffset()).isEqualTo(Frame.HEADER_BYTES);
        assertThat(frame.payloadLength()).isEqualTo(block.length - Frame.HEADER_BYTES - Frame.TRAILER_BYTES);
    }
}
