package dev.strata.segment;

import dev.strata.filter.MetadataValues;
import dev.strata.storage.FileFormat;
import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary form of a {@link LogBatch}, as stored in a log record.
 *
 * <pre>
 * magic "SLB" | version u8 | operation u8 | fields u8 (bit 0 embeddings, 1 documents, 2 metadatas, 3 uris)
 * | count i32 | dimension i32
 * | per record: id str | [embedding: present u8, dimension x f32] | [document: str?] | [metadata: map?] | [uri: str?]
 * | crc32c u32 of everything before it
 * str = i32 byte length (-1 = null) + UTF-8; map = i32 entries (-1 = null) + (key str, tagged value)*
 * </pre>
 * All integers and floats are little-endian; embeddings are raw float32 so a decoder can also map them.
 * Version 1 is the only version so far; a decoder rejects a newer one as {@link FileFormat} says.
 */
public final class LogBatchCodec {

    static final FileFormat FORMAT = FileFormat.of("log batch", "SLB", 1, 1);
    private static final int EMBEDDINGS = 1;
    private static final int DOCUMENTS = 2;
    private static final int METADATAS = 4;
    private static final int URIS = 8;

    // Tags of metadata values; NULL is "delete this key" in UPDATE/UPSERT batches.
    private static final int NULL = 0;
    private static final int STR = 1;
    private static final int INT = 2;
    private static final int FLOAT = 3;
    private static final int BOOL = 4;
    private static final int LIST = 0x10; // LIST | element tag

    private LogBatchCodec() {}

    public static byte[] encode(LogBatch batch) {
        int n = batch.size();
        int dimension = dimensionOf(batch);
        Sink out = new Sink(64 + n * (24 + dimension * 4));
        out.bytes(FORMAT.magic());
        out.u8(FORMAT.newestReadable());
        out.u8(batch.operation().code());
        out.u8((batch.embeddings() != null ? EMBEDDINGS : 0)
                | (batch.documents() != null ? DOCUMENTS : 0)
                | (batch.metadatas() != null ? METADATAS : 0)
                | (batch.uris() != null ? URIS : 0));
        out.i32(n);
        out.i32(dimension);
        ByteBuffer floats = ByteBuffer.allocate(dimension * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            out.str(batch.ids().get(i));
            if (batch.embeddings() != null) {
                float[] e = batch.embeddings()[i];
                out.u8(e == null ? 0 : 1);
                if (e != null) {
                    floats.clear();
                    floats.asFloatBuffer().put(e);
                    out.bytes(floats.array());
                }
            }
            if (batch.documents() != null) {
                out.str(batch.documents().get(i));
            }
            if (batch.metadatas() != null) {
                writeMetadata(out, batch.metadatas().get(i));
            }
            if (batch.uris() != null) {
                out.str(batch.uris().get(i));
            }
        }
        out.i32(FileFormat.crc32c(out.buffer(), 0, out.size()));
        return out.toByteArray();
    }

    public static LogBatch decode(byte[] payload) {
        return decode(payload, null);
    }

    /** Decodes a payload read from the object or log segment named key (used in error messages). */
    public static LogBatch decode(byte[] payload, String key) {
        if (payload.length < FORMAT.headerBytes() + 2 + 8 + 4) {
            throw new CorruptLogBatchException(key, "payload of " + payload.length + " bytes is too short");
        }
        FORMAT.verify(key, payload, ByteOrder.LITTLE_ENDIAN, CorruptLogBatchException::new);
        ByteBuffer in = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).position(FORMAT.headerBytes());
        in.limit(payload.length - FileFormat.CRC_BYTES);
        try {
            return readBatch(in, key);
        } catch (BufferUnderflowException e) {
            throw new CorruptLogBatchException(key, "payload ends inside a record");
        } catch (IllegalArgumentException e) {
            throw new CorruptLogBatchException(key, e.getMessage());
        }
    }

    private static LogBatch readBatch(ByteBuffer in, String key) {
        int opCode = in.get() & 0xff;
        LogOperation op = LogOperation.fromCode(opCode);
        if (op == null) {
            throw new CorruptLogBatchException(key, "unknown operation code " + opCode);
        }
        int fields = in.get() & 0xff;
        int n = in.getInt();
        int dimension = in.getInt();
        // Every record needs at least 4 bytes (its id length): a bound that rejects absurd counts early.
        if (n < 0 || n > in.remaining() / 4 || dimension < 0 || (long) dimension * 4 > in.remaining()) {
            throw new CorruptLogBatchException(key, "record count " + n + " or dimension " + dimension + " out of range");
        }
        List<String> ids = new ArrayList<>(n);
        float[][] embeddings = (fields & EMBEDDINGS) != 0 ? new float[n][] : null;
        List<String> documents = (fields & DOCUMENTS) != 0 ? new ArrayList<>(n) : null;
        List<Map<String, Object>> metadatas = (fields & METADATAS) != 0 ? new ArrayList<>(n) : null;
        List<String> uris = (fields & URIS) != 0 ? new ArrayList<>(n) : null;
        for (int i = 0; i < n; i++) {
            String id = readStr(in);
            if (id == null) {
                throw new CorruptLogBatchException(key, "record " + i + " has no id");
            }
            ids.add(id);
            if (embeddings != null && in.get() != 0) {
                float[] e = new float[dimension];
                in.asFloatBuffer().get(e);
                in.position(in.position() + dimension * 4);
                embeddings[i] = e;
            }
            if (documents != null) {
                documents.add(readStr(in));
            }
            if (metadatas != null) {
                metadatas.add(readMetadata(in));
            }
            if (uris != null) {
                uris.add(readStr(in));
            }
        }
        if (in.hasRemaining()) {
            throw new CorruptLogBatchException(key, in.remaining() + " trailing bytes after the last record");
        }
        return new LogBatch(op, ids, embeddings, documents, metadatas, uris);
    }

    private static int dimensionOf(LogBatch batch) {
        int dimension = -1;
        if (batch.embeddings() != null) {
            for (float[] e : batch.embeddings()) {
                if (e == null) {
                    continue;
                }
                if (dimension >= 0 && e.length != dimension) {
                    throw new IllegalArgumentException("log batch mixes embedding dimensions " + dimension + " and " + e.length);
                }
                dimension = e.length;
            }
        }
        return Math.max(dimension, 0);
    }

    private static void writeMetadata(Sink out, Map<String, Object> metadata) {
        if (metadata == null) {
            out.i32(-1);
            return;
        }
        out.i32(metadata.size());
        for (Map.Entry<String, Object> e : metadata.entrySet()) {
            out.str(e.getKey());
            Object v = e.getValue();
            if (v == null) {
                out.u8(NULL);
            } else if (v instanceof List<?> list) {
                List<Object> canonical = MetadataValues.list(list);
                out.u8(LIST | tagOf(canonical.getFirst()));
                out.i32(canonical.size());
                for (Object item : canonical) {
                    writeScalar(out, item);
                }
            } else {
                Object c = MetadataValues.scalar(v);
                out.u8(tagOf(c));
                writeScalar(out, c);
            }
        }
    }

    private static int tagOf(Object canonical) {
        return switch (canonical) {
            case String s -> STR;
            case Long l -> INT;
            case Double d -> FLOAT;
            case Boolean b -> BOOL;
            default -> throw new IllegalStateException("not canonical: " + canonical);
        };
    }

    private static void writeScalar(Sink out, Object canonical) {
        switch (canonical) {
            case String s -> out.str(s);
            case Long l -> out.i64(l);
            case Double d -> out.i64(Double.doubleToRawLongBits(d));
            case Boolean b -> out.u8(b ? 1 : 0);
            default -> throw new IllegalStateException("not canonical: " + canonical);
        }
    }

    private static Map<String, Object> readMetadata(ByteBuffer in) {
        int entries = in.getInt();
        if (entries == -1) {
            return null;
        }
        if (entries < 0 || entries > in.remaining() / 5) {
            throw new IllegalArgumentException("metadata entry count " + entries + " out of range");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
            String k = readStr(in);
            if (k == null) {
                throw new IllegalArgumentException("metadata key is null");
            }
            int tag = in.get() & 0xff;
            if (tag == NULL) {
                m.put(k, null);
            } else if ((tag & LIST) != 0) {
                int size = in.getInt();
                if (size <= 0 || size > in.remaining()) {
                    throw new IllegalArgumentException("metadata list length " + size + " out of range");
                }
                List<Object> list = new ArrayList<>(size);
                for (int j = 0; j < size; j++) {
                    list.add(readScalar(in, tag & ~LIST));
                }
                m.put(k, List.copyOf(list));
            } else {
                m.put(k, readScalar(in, tag));
            }
        }
        return m;
    }

    private static Object readScalar(ByteBuffer in, int tag) {
        return switch (tag) {
            case STR -> {
                String s = readStr(in);
                if (s == null) {
                    throw new IllegalArgumentException("null string in metadata");
                }
                yield s;
            }
            case INT -> in.getLong();
            case FLOAT -> Double.longBitsToDouble(in.getLong());
            case BOOL -> in.get() != 0;
            default -> throw new IllegalArgumentException("unknown metadata value tag " + tag);
        };
    }

    private static String readStr(ByteBuffer in) {
        int len = in.getInt();
        if (len == -1) {
            return null;
        }
        if (len < 0 || len > in.remaining()) {
            throw new IllegalArgumentException("string length " + len + " out of range");
        }
        ByteBuffer slice = in.slice(in.position(), len);
        in.position(in.position() + len);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(slice)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("string is not valid UTF-8");
        }
    }

    /** A growable little-endian byte sink whose buffer can be checksummed in place. */
    private static final class Sink extends ByteArrayOutputStream {
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        Sink(int initial) {
            super(initial);
        }

        byte[] buffer() {
            return buf;
        }

        void u8(int v) {
            write(v);
        }

        void i32(int v) {
            write(scratch.clear().putInt(v).array(), 0, 4);
        }

        void i64(long v) {
            write(scratch.clear().putLong(v).array(), 0, 8);
        }

        void bytes(byte[] b) {
            write(b, 0, b.length);
        }

        void str(String s) {
            if (s == null) {
                i32(-1);
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i32(b.length);
            bytes(b);
        }
    }
}
