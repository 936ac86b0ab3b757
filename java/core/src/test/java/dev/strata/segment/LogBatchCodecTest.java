package dev.strata.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class LogBatchCodecTest {

    @Property(tries = 300)
    void decodeInvertsEncode(@ForAll("batches") LogBatch batch) {
        assertThat(LogBatchCodec.decode(LogBatchCodec.encode(batch))).isEqualTo(batch);
    }

    @Property(tries = 200)
    void anySingleFlippedByteIsDetected(@ForAll("batches") LogBatch batch, @ForAll("positions") double where, @ForAll("nonZero") byte mask) {
        byte[] bytes = LogBatchCodec.encode(batch);
        int at = (int) (where * (bytes.length - 1));
        bytes[at] ^= mask;
        assertThatThrownBy(() -> LogBatchCodec.decode(bytes, "c/1/log/7-9.wal"))
                .isInstanceOf(CorruptLogBatchException.class)
                .hasMessageContaining("c/1/log/7-9.wal");
    }

    @Property(tries = 100)
    void truncatedPayloadIsDetected(@ForAll("batches") LogBatch batch, @ForAll("positions") double where) {
        byte[] bytes = LogBatchCodec.encode(batch);
        byte[] cut = Arrays.copyOf(bytes, (int) (where * (bytes.length - 1)));
        assertThatThrownBy(() -> LogBatchCodec.decode(cut)).isInstanceOf(CorruptLogBatchException.class);
    }

    @Test
    void embeddingsAreRawLittleEndianFloat32AfterTheHeader() {
        LogBatch batch = new LogBatch(LogOperation.ADD, List.of("a"), new float[][] {{1.5f, -2f}}, null, null, null);
        byte[] bytes = LogBatchCodec.encode(batch);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        // magic(3) version(1) op(1) fields(1) count(4) dim(4) | id len(4) "a"(1) present(1)
        assertThat(new String(bytes, 0, 3)).isEqualTo("SLB");
        assertThat(bytes[3]).isEqualTo((byte) LogBatchCodec.FORMAT.newestReadable());
        assertThat(b.getInt(10)).isEqualTo(2);
        assertThat(b.getFloat(20)).isEqualTo(1.5f);
        assertThat(b.getFloat(24)).isEqualTo(-2f);
    }

    @Test
    void updateBatchKeepsAbsentFieldsAndDeleteMarkers() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gone", null);
        m.put("tags", List.of("x", "y"));
        List<Map<String, Object>> metas = new ArrayList<>();
        metas.add(m);
        metas.add(null);
        LogBatch batch = new LogBatch(LogOperation.UPDATE, List.of("a", "b"), new float[][] {null, {1f}},
                Arrays.asList(null, "doc"), metas, null);
        LogBatch back = LogBatchCodec.decode(LogBatchCodec.encode(batch));
        assertThat(back.metadata(0)).containsEntry("gone", null).containsEntry("tags", List.of("x", "y"));
        assertThat(back.metadata(1)).isNull();
        assertThat(back.embedding(0)).isNull();
        assertThat(back.document(0)).isNull();
        assertThat(back.uris()).isNull();
    }

    @Test
    void aNewerVersionIsReportedAsNewerNotAsCorrupt() {
        byte[] bytes = LogBatchCodec.encode(LogBatch.delete(List.of("a")));
        bytes[3] = 9;
        fixCrc(bytes);
        assertThatThrownBy(() -> LogBatchCodec.decode(bytes, "c/x/log/k.wal"))
                .isInstanceOf(dev.strata.storage.UnsupportedFormatVersionException.class)
                .isNotInstanceOf(dev.strata.storage.CorruptObjectException.class)
                .hasMessageContaining("log batch format version 9 was written by a newer Strata")
                .hasMessageContaining("c/x/log/k.wal");
        bytes[3] = 0;
        fixCrc(bytes);
        assertThatThrownBy(() -> LogBatchCodec.decode(bytes)).isInstanceOf(CorruptLogBatchException.class)
                .hasMessageContaining("unknown log batch format version 0");
    }

    @Test
    void mixedDimensionsCannotBeEncoded() {
        LogBatch batch = new LogBatch(LogOperation.ADD, List.of("a", "b"), new float[][] {{1f}, {1f, 2f}}, null, null, null);
        assertThatThrownBy(() -> LogBatchCodec.encode(batch)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimensions 1 and 2");
    }

    private static void fixCrc(byte[] bytes) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length - 4, (int) crc.getValue());
    }

    @Provide
    Arbitrary<Double> positions() {
        return Arbitraries.doubles().between(0, 1);
    }

    @Provide
    Arbitrary<Byte> nonZero() {
        return Arbitraries.bytes().filter(b -> b != 0);
    }

    @Provide
    Arbitrary<LogBatch> batches() {
        Arbitrary<LogOperation> ops = Arbitraries.of(LogOperation.class);
        return Combinators.combine(ops, Arbitraries.integers().between(0, 6), Arbitraries.integers().between(1, 5),
                        Arbitraries.integers().between(0, 15), Arbitraries.longs())
                .flatAs((op, n, dim, fields, seed) -> records(op, n, dim, fields));
    }

    private Arbitrary<LogBatch> records(LogOperation op, int n, int dim, int fields) {
        Arbitrary<String> text = Arbitraries.strings().withCharRange('a', 'z').withCharRange('\u00e0', '\u00ff')
                .withChars('\u4e2d', ' ').ofMaxLength(8);
        Arbitrary<List<String>> ids = text.list().ofSize(n);
        Arbitrary<float[]> vector = Arbitraries.floats().list().ofSize(dim).map(LogBatchCodecTest::toArray).injectNull(0.2);
        Arbitrary<Object> scalar = Arbitraries.oneOf(text.map(s -> (Object) s), Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().map(d -> (Object) d), Arbitraries.of(true, false).map(b -> (Object) b));
        Arbitrary<Object> value = Arbitraries.oneOf(scalar, text.list().ofMinSize(1).ofMaxSize(3).map(l -> (Object) l),
                Arbitraries.longs().list().ofMinSize(1).ofMaxSize(3).map(l -> (Object) l));
        Arbitrary<Map<String, Object>> meta = Arbitraries.maps(text, value.injectNull(0.1)).ofMaxSize(4)
                .map(m -> (Map<String, Object>) new LinkedHashMap<>(m)).injectNull(0.2);
        if (op == LogOperation.DELETE) {
            return ids.map(LogBatch::delete);
        }
        return Combinators.combine(ids, vector.list().ofSize(n), text.injectNull(0.2).list().ofSize(n),
                        meta.list().ofSize(n), text.injectNull(0.3).list().ofSize(n))
                .as((i, e, d, m, u) -> new LogBatch(op, i,
                        (fields & 1) != 0 ? e.toArray(new float[0][]) : null,
                        (fields & 2) != 0 ? d : null,
                        (fields & 4) != 0 ? m : null,
                        (fields & 8) != 0 ? u : null));
    }

    private static float[] toArray(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
