package dev.strata.blockfile;

import dev.strata.storage.CorruptObjectException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
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
        try (BufferAllocator allocator = ROOT.newChildAllocator("blockfile-write", 0, Long.MAX_VALUE);
                VectorSchemaRoot batch = VectorSchemaRoot.create(new Schema(fields), allocator)) {
            batch.allocateNew();
            fill.accept(batch);
            batch.setRowCount(rows);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ArrowStreamWriter writer = new ArrowStreamWriter(batch, null, Channels.newChannel(out))) {
                writer.start();
                writer.writeBatch();
                writer.end();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize an Arrow batch", e);
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
