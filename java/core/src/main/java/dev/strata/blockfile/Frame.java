package dev.strata.blockfile;

import dev.strata.storage.CorruptObjectException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The envelope of blocks and roots: a 16-byte header, an Arrow IPC stream of one record batch, and a
 * CRC32C of everything before it. All integers big-endian.
 *
 * <pre>
 * magic[4] ("SBLK" block, "SRT1" root) | version u8 | value kind u8 | reserved u16
 * | dimension i32 | rows i32 | arrow ipc stream ... | crc32c i32
 * </pre>
 */
record Frame(ValueType<?> valueType, int rows, byte[] data, int payloadOffset, int payloadLength, int crc) {

    static final byte[] BLOCK_MAGIC = "SBLK".getBytes(StandardCharsets.US_ASCII);
    static final byte[] ROOT_MAGIC = "SRT1".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT_VERSION = 1;
    static final int HEADER_BYTES = 16;
    private static final int TRAILER_BYTES = 4;

    static byte[] wrap(byte[] magic, ValueType<?> type, int rows, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + payload.length + TRAILER_BYTES);
        out.put(magic).put((byte) FORMAT_VERSION).put(type.kind().tag()).putShort((short) 0);
        out.putInt(type.dimension()).putInt(rows).put(payload);
        out.putInt(crcOf(out.array(), out.position()));
        return out.array();
    }

    /** Checks length, magic, checksum and header of {@code data}; corruption is reported with {@code key}. */
    static Frame unwrap(String key, byte[] magic, byte[] data) {
        String what = magic == BLOCK_MAGIC ? "block" : "root";
        if (data.length < HEADER_BYTES + TRAILER_BYTES) {
            throw new CorruptObjectException(key, what + " truncated: " + data.length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(data);
        byte[] actualMagic = new byte[magic.length];
        in.get(actualMagic);
        if (!Arrays.equals(actualMagic, magic)) {
            throw new CorruptObjectException(key, "wrong magic for a " + what + ": "
                    + new String(actualMagic, StandardCharsets.ISO_8859_1));
        }
        int stored = storedCrc(data);
        int actual = crcOf(data, data.length - TRAILER_BYTES);
        if (stored != actual) {
            throw new CorruptObjectException(key, what + " checksum mismatch (stored "
                    + Integer.toHexString(stored) + ", computed " + Integer.toHexString(actual)
                    + "; truncated or damaged)");
        }
        int version = in.get() & 0xff;
        if (version != FORMAT_VERSION) {
            throw new CorruptObjectException(key, what + " format version " + version + " is not supported");
        }
        int kindTag = in.get() & 0xff;
        in.getShort();
        int dimension = in.getInt();
        int rows = in.getInt();
        ValueKind kind = ValueKind.ofTagOrNull(kindTag);
        ValueType<?> type = kind == null ? null : ValueType.ofHeader(kind, dimension);
        if (type == null || rows < 0) {
            throw new CorruptObjectException(key, what + " header invalid: kind " + kindTag + ", dimension "
                    + dimension + ", rows " + rows);
        }
        return new Frame(type, rows, data, HEADER_BYTES, data.length - HEADER_BYTES - TRAILER_BYTES, stored);
    }

    /** The CRC32C trailer of a framed object (its checksum, recorded by roots for their blocks). */
    static int storedCrc(byte[] framed) {
        return ByteBuffer.wrap(framed, framed.length - TRAILER_BYTES, TRAILER_BYTES).getInt();
    }

    static int crcOf(byte[] data, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, 0, length);
        return (int) crc.getValue();
    }
}
