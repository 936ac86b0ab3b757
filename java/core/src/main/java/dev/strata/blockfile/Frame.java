package dev.strata.blockfile;

import dev.strata.storage.CorruptObjectException;
import dev.strata.storage.FileFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The envelope of blocks and roots: a 16-byte header, an Arrow IPC stream of one record batch, and a
 * CRC32C of everything before it. All integers big-endian; magic, version and checksum are checked
 * by {@link FileFormat}.
 *
 * <pre>
 * magic[4] ("SBLK" block, "SRT1" root) | version u8 | value kind u8 | reserved u16
 * | dimension i32 | rows i32 | arrow ipc stream ... | crc32c i32
 * </pre>
 */
record Frame(ValueType<?> valueType, int rows, byte[] data, int payloadOffset, int payloadLength, int crc) {

    static final FileFormat BLOCK = FileFormat.of("block", "SBLK", 1, 1);
    static final FileFormat ROOT = FileFormat.of("root", "SRT1", 1, 1);
    static final int HEADER_BYTES = 16;
    static final int TRAILER_BYTES = 4;

    /**
     * Writes the header and the trailing checksum around the payload that {@code framed} holds between
     * {@link #HEADER_BYTES} and its last {@link #TRAILER_BYTES} (as {@link ArrowIpc} leaves them free), in place.
     */
    static byte[] wrap(FileFormat format, ValueType<?> type, int rows, byte[] framed) {
        ByteBuffer out = ByteBuffer.wrap(framed);
        format.putHeader(out).put(type.kind().tag()).putShort((short) 0);
        out.putInt(type.dimension()).putInt(rows);
        if (out.position() != HEADER_BYTES) {
            throw new IllegalStateException("frame header of " + out.position() + " bytes, expected " + HEADER_BYTES);
        }
        int end = framed.length - TRAILER_BYTES;
        out.putInt(end, crcOf(framed, end));
        return framed;
    }

    /**
     * Checks length, magic, checksum, version and the rest of the header of {@code data}; corruption is
     * reported with {@code key}, a newer format version as such.
     */
    static Frame unwrap(String key, FileFormat format, byte[] data) {
        if (data.length < HEADER_BYTES + TRAILER_BYTES) {
            throw new CorruptObjectException(key, format.name() + " truncated: " + data.length + " bytes");
        }
        format.verify(key, data, ByteOrder.BIG_ENDIAN);
        int stored = storedCrc(data);
        ByteBuffer in = ByteBuffer.wrap(data).position(format.headerBytes());
        int kindTag = in.get() & 0xff;
        in.getShort();
        int dimension = in.getInt();
        int rows = in.getInt();
        ValueKind kind = ValueKind.ofTagOrNull(kindTag);
        ValueType<?> type = kind == null ? null : ValueType.ofHeader(kind, dimension);
        if (type == null || rows < 0) {
            throw new CorruptObjectException(key, format.name() + " header invalid: kind " + kindTag + ", dimension "
                    + dimension + ", rows " + rows);
        }
        return new Frame(type, rows, data, HEADER_BYTES, data.length - HEADER_BYTES - TRAILER_BYTES, stored);
    }

    /** The CRC32C trailer of a framed object (its checksum, recorded by roots for their blocks). */
    static int storedCrc(byte[] framed) {
        return ByteBuffer.wrap(framed, framed.length - TRAILER_BYTES, TRAILER_BYTES).getInt();
    }

    static int crcOf(byte[] data, int length) {
        return FileFormat.crc32c(data, 0, length);
    }
}
