package dev.strata.blockfile;

import dev.strata.storage.CorruptObjectException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * One record batch to and from Arrow IPC stream bytes. Arrow memory lives only for the duration of a
 * call (a child allocator closed before returning), so nothing a caller keeps points into it.
 */
final class ArrowIpc {

    private static final BufferAllocator ROOT = new RootAllocator();

    private ArrowIpc() {}

    /** Bytes the batches of calls in progress hold (each child allocator adds to the root's count). */
    static long allocatedBytes() {
        return ROOT.getAllocatedMemory();
    }

    /** Allocates a batch of {@code fields}, lets {@code fill} set {@code rows} rows, and serializes it. */
    static byte[] write(List<Field> fields, int rows, Consumer<VectorSchemaRoot> fill) {
        return write(fields, rows, fill, 0, 0);
    }

    /**
     * As above, into an array with {@code before} bytes free ahead of the stream and {@code after} bytes free behind
     * it, for a frame's header and trailer. The array is sized from the batch's buffers: one array per block written,
     * where a growing stream, its copy out and the frame's copy made four times a block's bytes of garbage.
     */
    static byte[] write(List<Field> fields, int rows, Consumer<VectorSchemaRoot> fill, int before, int after) {
        try (BufferAllocator allocator = ROOT.newChildAllocator("blockfile-write", 0, Long.MAX_VALUE);
                VectorSchemaRoot batch = VectorSchemaRoot.create(new Schema(fields), allocator)) {
            batch.allocateNew();
            fill.accept(batch);
            batch.setRowCount(rows);
            long buffers = 0;
            for (FieldVector v : batch.getFieldVectors()) {
                buffers += v.getBufferSize();
            }
            // the schema and batch messages, and the padding of each buffer to 8 bytes
            long estimate = before + buffers + STREAM_OVERHEAD + 8L * 4 * fields.size() + after;
            FramedBytes out = new FramedBytes((int) Math.min(Integer.MAX_VALUE - 8, estimate), before);
            try (ArrowStreamWriter writer = new ArrowStreamWriter(batch, null, Channels.newChannel(out))) {
                writer.start();
                writer.writeBatch();
                writer.end();
            }
            return out.withRoomFor(after);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize an Arrow batch", e);
        }
    }

    /** Bytes of an IPC stream besides its buffers' own, with room to spare for a few dozen fields' metadata. */
    private static final int STREAM_OVERHEAD = 4096;

    /** A byte stream that starts after a gap and hands out its own array when that is exactly the size asked for. */
    private static final class FramedBytes extends ByteArrayOutputStream {
        FramedBytes(int capacity, int gap) {
            super(Math.max(capacity, gap + 64));
            count = gap;
        }

        byte[] withRoomFor(int after) {
            int size = count + after;
            return size == buf.length ? buf : Arrays.copyOf(buf, size);
        }
    }

    /**
     * Reads the single batch in the frame's payload and maps it with {@code read} (which must copy what
     * it keeps). A batch that does not have {@code fields} and the header's row count is corrupt.
     */
    static <T> T read(String key, Frame frame, List<Field> fields, Function<VectorSchemaRoot, T> read) {
        try (BufferAllocator allocator = ROOT.newChildAllocator("blockfile-read", 0, Long.MAX_VALUE);
                ArrowStreamReader reader = new ArrowStreamReader(
                        new ByteArrayInputStream(frame.data(), frame.payloadOffset(), frame.payloadLength()), allocator)) {
            if (!reader.loadNextBatch()) {
                throw new CorruptObjectException(key, "Arrow stream has no record batch");
            }
            VectorSchemaRoot batch = reader.getVectorSchemaRoot();
            if (!batch.getSchema().getFields().equals(fields)) {
                throw new CorruptObjectException(key, "unexpected Arrow schema " + batch.getSchema());
            }
            if (batch.getRowCount() != frame.rows()) {
                throw new CorruptObjectException(key, "Arrow batch has " + batch.getRowCount()
                        + " rows, header says " + frame.rows());
            }
            return read.apply(batch);
        } catch (IOException | RuntimeException e) {
            if (e instanceof CorruptObjectException c) {
                throw c;
            }
            throw new CorruptObjectException(key, "Arrow payload does not decode: " + e);
        }
    }
}
