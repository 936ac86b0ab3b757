package dev.strata.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class RecordFrameProperties {

    private static byte[] frames(long first, List<byte[]> payloads, List<Integer> ends) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long seq = first;
        for (byte[] p : payloads) {
            ByteBuffer b = RecordFrame.encode(seq++, p);
            out.write(b.array(), 0, b.limit());
            ends.add(out.size());
        }
        return out.toByteArray();
    }

    @Property(tries = 200)
    void encodedFramesScanBackToTheSamePayloads(@ForAll @Size(max = 20) List<@Size(max = 300) byte[]> payloads,
                                                @ForAll @IntRange(min = 1, max = 1_000_000) int first) {
        byte[] bytes = frames(first, payloads, new ArrayList<>());
        List<byte[]> seen = new ArrayList<>();
        RecordFrame.Scan scan = RecordFrame.scan(ByteBuffer.wrap(bytes), first, (seq, off, p) -> {
            byte[] a = new byte[p.remaining()];
            p.get(a);
            seen.add(a);
        });
        assertThat(scan.end()).isEqualTo(RecordFrame.End.CLEAN);
        assertThat(scan.frames()).isEqualTo(payloads.size());
        assertThat(scan.lastSeq()).isEqualTo(first + payloads.size() - 1);
        assertThat(seen).containsExactlyElementsOf(payloads);
    }

    @Property(tries = 300)
    void anyCutIsATornTailAtTheLastWholeFrame(@ForAll @Size(min = 1, max = 10) List<@Size(max = 200) byte[]> payloads,
                                              @ForAll @IntRange(min = 0, max = 100_000) int cutSeed) {
        List<Integer> ends = new ArrayList<>();
        byte[] bytes = frames(1, payloads, ends);
        int cut = cutSeed % bytes.length;
        RecordFrame.Scan scan = RecordFrame.scan(ByteBuffer.wrap(bytes, 0, cut).slice(), 1, null);
        int wholeFrames = (int) ends.stream().filter(e -> e <= cut).count();
        long expectedValid = wholeFrames == 0 ? 0 : ends.get(wholeFrames - 1);
        assertThat(scan.validBytes()).isEqualTo(expectedValid);
        assertThat(scan.frames()).isEqualTo(wholeFrames);
        assertThat(scan.end()).isEqualTo(cut == expectedValid ? RecordFrame.End.CLEAN : RecordFrame.End.TORN_TAIL);
    }

    @Property(tries = 300)
    void aFlippedBitBeforeTheLastFrameIsCorruption(@ForAll @Size(min = 2, max = 10) List<@Size(min = 1, max = 200) byte[]> payloads,
                                                   @ForAll @IntRange(min = 0, max = 100_000) int bitSeed) {
        List<Integer> ends = new ArrayList<>();
        byte[] bytes = frames(1, payloads, ends);
        int beforeLast = ends.get(ends.size() - 2);
        int bit = bitSeed % (beforeLast * 8);
        bytes[bit / 8] ^= (byte) (1 << (bit % 8));
        RecordFrame.Scan scan = RecordFrame.scan(ByteBuffer.wrap(bytes), 1, null);
        assertThat(scan.end()).isNotEqualTo(RecordFrame.End.CLEAN);
        assertThat(scan.validBytes()).isLessThan(beforeLast);
    }
}
