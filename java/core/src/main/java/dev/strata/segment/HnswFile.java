package dev.strata.segment;

import dev.strata.nativeio.HnswIndex;
import dev.strata.nativeio.NativeException;
import dev.strata.nativeio.Space;
import dev.strata.nativeio.StrataNative;
import dev.strata.storage.CorruptObjectException;
import dev.strata.storage.FileFormat;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.UnsupportedFormatVersionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.function.IntSupplier;
import java.util.zip.CRC32C;

/**
 * The HNSW index file as the native library saves it (docs/native.md, file format), read the way its
 * loader checks it first, without loading the graph: magic {@code STRHNSW} and the format version as one
 * ASCII digit, int32 space, int32 reserved, int64 dimension, ..., and a trailing CRC32C of everything
 * before it, little-endian. The file is read in ranges and checksummed as it streams, so checking an index
 * of gigabytes neither loads its graph into native memory nor holds the file on the heap.
 *
 * <p>Loading goes through {@link #load(Path, String, Space, int)} and {@link #load(MemorySegment, String, Space, int)},
 * which report the library's verdicts as this layer's: damage as a {@link CorruptObjectException}, a
 * file of a newer format as an {@link UnsupportedFormatVersionException}, the same errors {@link #verify} gives.
 */
public final class HnswFile {

    /** Version 1 is the only one so far: {@code STRHNSW1}. The newest is libstrata's (strata.h). */
    static final FileFormat FORMAT = FileFormat.of("HNSW index file", "STRHNSW", 1,
            StrataNative.STRATA_HNSW_FORMAT_VERSION);
    /** Ranges of this size are read while checksumming. */
    public static final int DEFAULT_CHUNK_BYTES = 8 << 20;

    private static final int HEADER_BYTES = FORMAT.headerBytes();
    private static final int DIMENSION_OFFSET = 16;
    private static final int TRAILER_BYTES = 4;
    private static final int MIN_BYTES = DIMENSION_OFFSET + 8 + TRAILER_BYTES;

    private HnswFile() {}

    /**
     * Checks the file at {@code key} of {@code size} bytes (its listed size), read in ranges of
     * {@code chunkBytes}.
     *
     * @return the index's dimension, or empty when the file does not start with the HNSW magic at all
     * @throws CorruptObjectException when it starts with the magic but is truncated or fails its checksum
     * @throws dev.strata.storage.UnsupportedFormatVersionException when a newer Strata wrote it
     */
    public static OptionalLong verify(ObjectStore store, String key, long size, int chunkBytes) {
        byte[] chunk = store.getRange(key, 0, (int) Math.min(size, Math.max(chunkBytes, MIN_BYTES)));
        if (chunk.length < HEADER_BYTES || !FORMAT.hasMagic(chunk, 0)) {
            return OptionalLong.empty();
        }
        int version = chunk[HEADER_BYTES - 1] - '0';
        if (size < MIN_BYTES) {
            throw new CorruptObjectException(key, FORMAT.name() + " truncated: " + size + " bytes");
        }
        long dimension = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN).getLong(DIMENSION_OFFSET);
        long checked = size - TRAILER_BYTES;
        CRC32C crc = new CRC32C();
        byte[] trailer = new byte[TRAILER_BYTES];
        long offset = 0;
        while (true) {
            int covered = (int) Math.max(0, Math.min(chunk.length, checked - offset));
            crc.update(chunk, 0, covered);
            for (int i = covered; i < chunk.length; i++) {
                trailer[(int) (offset + i - checked)] = chunk[i];
            }
            offset += chunk.length;
            if (offset >= size) {
                break;
            }
            chunk = store.getRange(key, offset, (int) Math.min(chunkBytes, size - offset));
            if (chunk.length == 0) {
                throw new CorruptObjectException(key, FORMAT.name() + " ends at " + offset + " bytes, its listing said " + size);
            }
        }
        FORMAT.checkCrc(key, ByteBuffer.wrap(trailer).order(ByteOrder.LITTLE_ENDIAN).getInt(), (int) crc.getValue());
        FORMAT.checkVersion(key, version); // after the checksum: a damaged digit is corruption, not a newer Strata
        return OptionalLong.of(dimension);
    }

    /** The graph of the index file at {@code file} ({@code key} names it in errors). */
    static HnswIndex load(Path file, String key, Space space, int dimension) {
        try {
            return HnswIndex.load(file, space, dimension, 0);
        } catch (NativeException e) {
            throw translated(e, key, () -> {
                try (InputStream in = Files.newInputStream(file)) {
                    byte[] header = in.readNBytes(HEADER_BYTES);
                    return header.length == HEADER_BYTES ? header[HEADER_BYTES - 1] : 0;
                } catch (IOException io) {
                    throw new UncheckedIOException(io);
                }
            });
        }
    }

    /** The graph of an index file's bytes in native memory, downloaded from {@code key}. */
    static HnswIndex load(MemorySegment bytes, String key, Space space, int dimension) {
        try {
            return HnswIndex.load(bytes, key, space, dimension, 0);
        } catch (NativeException e) {
            throw translated(e, key, () -> bytes.byteSize() >= HEADER_BYTES ? bytes.get(ValueLayout.JAVA_BYTE, HEADER_BYTES - 1) : 0);
        }
    }

    private static RuntimeException translated(NativeException e, String key, IntSupplier versionByte) {
        return switch (e.status()) {
            case CORRUPT -> new CorruptObjectException(key, e.getMessage());
            // The library says so only for an intact file, so its version digit is the one it read.
            case UNSUPPORTED -> new UnsupportedFormatVersionException(key, FORMAT.name(), versionByte.getAsInt() - '0',
                    FORMAT.oldestReadable(), FORMAT.newestReadable());
            default -> e;
        };
    }
}
