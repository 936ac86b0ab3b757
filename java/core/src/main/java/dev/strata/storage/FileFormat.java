package dev.strata.storage;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.BiFunction;
import java.util.zip.CRC32C;

/**
 * One file format's identity and the checks every format shares: its magic, the versions this build
 * reads, and CRC32C checksums. Each format of the bucket and of the node's folder declares itself as a
 * {@code FileFormat} and goes through these methods, so the checks and their errors are the same
 * everywhere: wrong magic, a checksum mismatch or a version older than any release wrote is a
 * {@link CorruptObjectException}; a version newer than this build reads is an
 * {@link UnsupportedFormatVersionException}, reported as "written by a newer Strata", not as damage.
 *
 * <p>A binary header is the magic followed by the version as one unsigned byte, and the object ends with a
 * CRC32C of everything before it ({@link #verify}). Formats whose version lives elsewhere (a JSON field,
 * the last character of the magic) check it with {@link #checkVersion} once their checksum has passed, and
 * JSON formats whose {@code format} field came after their first version with {@link #checkVersionField}.
 *
 * @param name           what the format holds, in messages ("block", "version manifest", ...)
 * @param magic          the bytes the format starts (or, for a trailer, ends) with; empty for none
 * @param oldestReadable the oldest version this build reads
 * @param newestReadable the newest version this build reads, the one it writes
 */
public record FileFormat(String name, byte[] magic, int oldestReadable, int newestReadable) {

    /** The length of a stored CRC32C. */
    public static final int CRC_BYTES = 4;

    public FileFormat {
        magic = magic.clone();
        if (oldestReadable < 0 || newestReadable < oldestReadable) {
            throw new IllegalArgumentException("readable versions must be 0 <= oldest <= newest, got "
                    + oldestReadable + "-" + newestReadable);
        }
    }

    /** A format with an ASCII magic. */
    public static FileFormat of(String name, String magic, int oldestReadable, int newestReadable) {
        return new FileFormat(name, magic.getBytes(StandardCharsets.US_ASCII), oldestReadable, newestReadable);
    }

    /** The magic's bytes (a copy). */
    @Override
    public byte[] magic() {
        return magic.clone();
    }

    /** The magic read as a big-endian int, for formats whose magic is a 4-byte int. */
    public int magicInt() {
        return ByteBuffer.wrap(magic).getInt();
    }

    /** The header's length: the magic and the one-byte version. */
    public int headerBytes() {
        return magic.length + 1;
    }

    /** Puts the header of the newest version (magic, version u8) at {@code out}'s position. */
    public ByteBuffer putHeader(ByteBuffer out) {
        return out.put(magic).put((byte) newestReadable);
    }

    /** Whether {@code data} holds this format's magic at {@code offset}. */
    public boolean hasMagic(byte[] data, int offset) {
        return offset >= 0 && data.length - offset >= magic.length
                && Arrays.equals(data, offset, offset + magic.length, magic, 0, magic.length);
    }

    /**
     * Checks an object of the usual envelope: the header (magic, version u8) first, a CRC32C of everything
     * before it last. The envelope is the same in every version of a format, so the magic and the checksum
     * are checked before the version: a version newer than this build reads is reported only for an intact
     * object, and a damaged version byte is corruption, not a newer Strata.
     *
     * @param crcOrder the byte order of the stored checksum
     * @return the version, one this build reads
     * @throws CorruptObjectException when the object is truncated, has the wrong magic or fails its checksum
     * @throws UnsupportedFormatVersionException when a newer Strata wrote it
     */
    public int verify(String key, byte[] data, ByteOrder crcOrder) {
        return verify(key, data, crcOrder, CorruptObjectException::new);
    }

    /** {@link #verify(String, byte[], ByteOrder)} for a layer with its own kind of corruption error. */
    public int verify(String key, byte[] data, ByteOrder crcOrder,
                      BiFunction<String, String, ? extends CorruptObjectException> corrupt) {
        if (data.length < headerBytes() + CRC_BYTES) {
            throw corrupt.apply(key, name + " truncated: " + data.length + " bytes");
        }
        if (!hasMagic(data, 0)) {
            throw corrupt.apply(key, "wrong magic for a " + name + ": "
                    + new String(data, 0, magic.length, StandardCharsets.ISO_8859_1));
        }
        int stored = ByteBuffer.wrap(data, data.length - CRC_BYTES, CRC_BYTES).order(crcOrder).getInt();
        int computed = crc32c(data, 0, data.length - CRC_BYTES);
        if (stored != computed) {
            throw corrupt.apply(key, crcMismatch(stored, computed));
        }
        return checkVersion(key, data[magic.length] & 0xff, corrupt);
    }

    /**
     * Checks a version read from the object.
     *
     * @return {@code version}
     * @throws UnsupportedFormatVersionException when it is newer than this build reads
     * @throws CorruptObjectException when it is older than any Strata wrote
     */
    public int checkVersion(String key, int version) {
        return checkVersion(key, version, CorruptObjectException::new);
    }

    /**
     * Checks the version of a JSON format that keeps it in a {@code format} field its first version lacked:
     * {@code field} is that field's value, null when absent (version 1, written before the field existed); a value
     * that is not a whole number is corruption.
     *
     * @return the version
     */
    public int checkVersionField(String key, JsonNode field) {
        return checkVersion(key, field == null ? 1
                : field.canConvertToExactIntegral() && field.canConvertToInt() ? field.intValue() : 0);
    }

    private int checkVersion(String key, int version, BiFunction<String, String, ? extends CorruptObjectException> corrupt) {
        if (version > newestReadable) {
            throw new UnsupportedFormatVersionException(key, name, version, oldestReadable, newestReadable);
        }
        if (version < oldestReadable) {
            throw corrupt.apply(key, "unknown " + name + " format version " + version);
        }
        return version;
    }

    /** Checks a checksum stored in the object against the one computed over its bytes. */
    public void checkCrc(String key, int stored, int computed) {
        if (stored != computed) {
            throw new CorruptObjectException(key, crcMismatch(stored, computed));
        }
    }

    private String crcMismatch(int stored, int computed) {
        return name + " checksum mismatch (stored " + Integer.toHexString(stored) + ", computed "
                + Integer.toHexString(computed) + "; truncated or damaged)";
    }

    /** The CRC32C of {@code length} bytes of {@code data} from {@code offset}. */
    public static int crc32c(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }

    /** The CRC32C of the remaining bytes of each buffer in turn (their positions do not move). */
    public static int crc32c(ByteBuffer... parts) {
        CRC32C crc = new CRC32C();
        for (ByteBuffer part : parts) {
            crc.update(part.duplicate());
        }
        return (int) crc.getValue();
    }

    /** A CRC32C as the 8 lowercase hex digits the JSON formats store. */
    public static String crcHex(int crc) {
        return HexFormat.of().toHexDigits(crc);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileFormat f && name.equals(f.name) && Arrays.equals(magic, f.magic)
                && oldestReadable == f.oldestReadable && newestReadable == f.newestReadable;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(magic);
    }

    @Override
    public String toString() {
        return name + " (" + new String(magic, StandardCharsets.ISO_8859_1) + ", versions " + oldestReadable + "-"
                + newestReadable + ")";
    }
}
