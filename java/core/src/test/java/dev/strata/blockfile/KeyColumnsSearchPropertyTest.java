package dev.strata.blockfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link KeyColumns#search} answers as a binary search by {@link BlockKey#compareTo} would, whether the rows share
 * one prefix and an integer kind (searched as a long array, or by position when the integers run without a gap) or
 * not, and for probes of any prefix and kind.
 */
class KeyColumnsSearchPropertyTest {

    @Property(tries = 300)
    void searchAgreesWithTheKeyOrder(@ForAll("rows") List<BlockKey> rows, @ForAll("probes") List<BlockKey> probes) {
        List<BlockKey> sorted = new ArrayList<>(new TreeSet<>(rows));
        KeyColumns columns = KeyColumns.of(sorted);
        List<BlockKey> all = new ArrayList<>(probes);
        all.addAll(sorted); // every present key is found at its row
        for (BlockKey probe : all) {
            assertThat(columns.search(probe)).as("%s in %s", probe, sorted).isEqualTo(reference(sorted, probe));
        }
    }

    @Property(tries = 300)
    void aRunWithoutGapsIsSearchedAsTheKeyOrderSays(
            @ForAll("starts") long start, @ForAll("lengths") int length, @ForAll("offsets") List<Long> offsets) {
        List<BlockKey> sorted = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            sorted.add(BlockKey.ofInt("r", start + i));
        }
        KeyColumns columns = KeyColumns.of(sorted);
        List<BlockKey> probes = new ArrayList<>(List.of(BlockKey.ofInt("r", Long.MIN_VALUE),
                BlockKey.ofInt("r", Long.MAX_VALUE), BlockKey.ofInt("q", start), BlockKey.of("r", true)));
        for (long offset : offsets) {
            probes.add(BlockKey.ofInt("r", start + offset)); // -3 .. length + 3 around the run
        }
        for (BlockKey probe : probes) {
            assertThat(columns.search(probe)).as("%s in %d keys from %d", probe, length, start)
                    .isEqualTo(reference(sorted, probe));
        }
    }

    @Provide
    Arbitrary<Long> starts() {
        return Arbitraries.oneOf(Arbitraries.longs().between(-100, 100), Arbitraries.just(Long.MIN_VALUE),
                Arbitraries.just(Long.MAX_VALUE - 70), Arbitraries.longs().between(Long.MIN_VALUE, Long.MAX_VALUE - 70));
    }

    @Provide
    Arbitrary<Integer> lengths() {
        return Arbitraries.integers().between(1, 60);
    }

    @Provide
    Arbitrary<List<Long>> offsets() {
        return Arbitraries.longs().between(-3, 63).list().ofMaxSize(20);
    }

    /** The row of {@code key}, or {@code -(insertion point) - 1}, found by scanning. */
    private static int reference(List<BlockKey> sorted, BlockKey key) {
        int below = 0;
        for (int i = 0; i < sorted.size(); i++) {
            int c = sorted.get(i).compareTo(key);
            if (c == 0) {
                return i;
            }
            if (c < 0) {
                below = i + 1;
            }
        }
        return -(below + 1);
    }

    @Provide
    Arbitrary<List<BlockKey>> rows() {
        Arbitrary<BlockKey> uniform = Arbitraries.longs().between(-50, 50).map(n -> BlockKey.ofInt("r", n));
        Arbitrary<BlockKey> bools = Arbitraries.of(true, false).map(b -> BlockKey.of("r", b));
        return Arbitraries.oneOf(
                uniform.list().ofMaxSize(60),                  // one prefix, integer keys: the long-array search
                bools.list().ofMaxSize(3),                     // one prefix, bool keys
                Arbitraries.oneOf(uniform, anyKey()).list().ofMaxSize(60)); // mixed: the general search
    }

    @Provide
    Arbitrary<List<BlockKey>> probes() {
        return Arbitraries.oneOf(Arbitraries.longs().between(-60, 60).map(n -> BlockKey.ofInt("r", n)), anyKey())
                .list().ofMaxSize(30);
    }

    private static Arbitrary<BlockKey> anyKey() {
        Arbitrary<String> prefix = Arbitraries.of("", "q", "r", "r0", "s");
        return prefix.flatMap(p -> Arbitraries.oneOf(
                Arbitraries.longs().between(-60, 60).map(n -> BlockKey.ofInt(p, n)),
                Arbitraries.of(true, false).map(b -> BlockKey.of(p, b)),
                Arbitraries.doubles().between(-5, 5).map(d -> BlockKey.of(p, d)),
                Arbitraries.strings().alpha().ofMaxLength(3).map(s -> BlockKey.of(p, s))));
    }
}
