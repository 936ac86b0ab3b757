package dev.strata.blockfile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.storage.BlockCache;
import dev.strata.storage.LocalObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sets and deletes over several copy-on-write commits, with keys of every kind under a few
 * prefixes and tiny blocks, compared after each commit with a TreeMap model: every get, the full scan,
 * every prefix scan and range scans between all pairs of a sample of bounds.
 */
class BlockfileModelPropertyTest {

    private static final List<String> PREFIXES = List.of("", "a", "year");

    /** One change: value null is a delete. */
    record Op(String prefix, Object key, Long value) {}

    @Provide
    Arbitrary<Object> keys() {
        return Arbitraries.oneOf(
                Arbitraries.of(true, false),
                Arbitraries.longs().between(-30, 30).map(Object.class::cast),
                Arbitraries.of(-0.0, 0.0, -1.5, 2.25, 1e9, Double.NEGATIVE_INFINITY, Double.NaN).map(Object.class::cast),
                Arbitraries.of("a", "b", "\u00e9", "\uD83D\uDE00").list().ofMaxSize(3).map(parts -> (Object) String.join("", parts)));
    }

    @Provide
    Arbitrary<List<List<Op>>> commits() {
        Arbitrary<Op> op = Combinators.combine(
                        Arbitraries.of(PREFIXES), keys(),
                        Arbitraries.longs().between(-1000, 1000).injectNull(0.25))
                .as(Op::new);
        return op.list().ofMaxSize(60).list().ofMinSize(1).ofMaxSize(4);
    }

    @Property(tries = 60)
    void matchesATreeMapModel(@ForAll("commits") List<List<Op>> commits, @ForAll("targets") int targetBlockBytes) {
        Path dir = tempDir();
        try (LocalObjectStore store = new LocalObjectStore(dir)) {
            BlockCache cache = new BlockCache(store, 1 << 20);
            NavigableMap<BlockKey, Long> model = new TreeMap<>();
            String root = null;
            List<BlockfileReader<Long>> snapshots = new ArrayList<>();
            List<Map<BlockKey, Long>> snapshotModels = new ArrayList<>();
            for (List<Op> ops : commits) {
                BlockfileWriter<Long> w = root == null
                        ? BlockfileWriter.create(cache, "c/m/", ValueType.LONG, targetBlockBytes)
                        : BlockfileWriter.fork(cache, root, ValueType.LONG, targetBlockBytes);
                for (Op op : ops) {
                    BlockKey k = BlockKey.of(op.prefix(), op.key());
                    if (op.value() == null) {
                        w.delete(op.prefix(), op.key());
                        model.remove(k);
                    } else {
                        w.set(op.prefix(), op.key(), op.value());
                        model.put(k, op.value());
                    }
                }
                root = w.commit().rootKey();
                BlockfileReader<Long> reader = BlockfileReader.open(new BlockCache(store, 1 << 20), root, ValueType.LONG);
                assertMatches(reader, model, commits);
                snapshots.add(reader);
                snapshotModels.add(new TreeMap<>(model));
            }
            for (int i = 0; i < snapshots.size(); i++) {
                assertThat(toMap(snapshots.get(i))).as("snapshot %d is unchanged by later commits", i)
                        .isEqualTo(snapshotModels.get(i));
            }
        } finally {
            deleteTree(dir);
        }
    }

    @Provide
    Arbitrary<Integer> targets() {
        return Arbitraries.of(40, 120, 400, 1 << 20);
    }

    private static void assertMatches(BlockfileReader<Long> reader, NavigableMap<BlockKey, Long> model, List<List<Op>> commits) {
        assertThat(reader.count()).isEqualTo(model.size());
        assertThat(reader.entries().map(BlockfileEntry::key).toList()).containsExactlyElementsOf(model.keySet());
        assertThat(toMap(reader)).isEqualTo(model);
        List<BlockKey> firstKeys = reader.blockFirstKeys();
        assertThat(firstKeys).isSortedAccordingTo(Comparator.naturalOrder()).doesNotHaveDuplicates();
        for (List<Op> ops : commits) {
            for (Op op : ops) {
                BlockKey k = BlockKey.of(op.prefix(), op.key());
                assertThat(reader.get(op.prefix(), op.key())).as("get %s", k).isEqualTo(java.util.Optional.ofNullable(model.get(k)));
                assertThat(reader.contains(op.prefix(), op.key())).isEqualTo(model.containsKey(k));
            }
        }
        List<Object> bounds = new ArrayList<>();
        bounds.add(null);
        for (List<Op> ops : commits) {
            ops.stream().limit(4).forEach(op -> bounds.add(op.key()));
        }
        bounds.add(-31L);
        bounds.add("\uFFFF");
        for (String prefix : PREFIXES) {
            assertThat(reader.scanPrefix(prefix).map(BlockfileEntry::key).toList())
                    .containsExactlyElementsOf(expectedRange(model, prefix, null, true, null, true));
            for (Object from : bounds) {
                for (Object to : bounds) {
                    boolean fromInc = from instanceof String || from instanceof Boolean;
                    boolean toInc = !(to instanceof Double);
                    assertThat(reader.range(prefix, from, fromInc, to, toInc).map(BlockfileEntry::key).toList())
                            .as("range %s %s..%s", prefix, from, to)
                            .containsExactlyElementsOf(expectedRange(model, prefix, from, fromInc, to, toInc));
                }
            }
        }
    }

    /** The model's answer, written from the documented semantics rather than the reader's code path. */
    private static List<BlockKey> expectedRange(NavigableMap<BlockKey, Long> model, String prefix,
            Object from, boolean fromInc, Object to, boolean toInc) {
        BlockKey lo = from == null ? null : BlockKey.of(prefix, from);
        BlockKey hi = to == null ? null : BlockKey.of(prefix, to);
        KeyKind onlyKind = (lo == null) == (hi == null) ? null : (lo != null ? lo.kind() : hi.kind());
        return model.keySet().stream()
                .filter(k -> k.prefix().equals(prefix))
                .filter(k -> onlyKind == null || k.kind() == onlyKind)
                .filter(k -> lo == null || (fromInc ? k.compareTo(lo) >= 0 : k.compareTo(lo) > 0))
                .filter(k -> hi == null || (toInc ? k.compareTo(hi) <= 0 : k.compareTo(hi) < 0))
                .toList();
    }

    private static Map<BlockKey, Long> toMap(BlockfileReader<Long> reader) {
        Map<BlockKey, Long> map = new TreeMap<>();
        reader.entries().forEach(e -> map.put(e.key(), e.value()));
        return map;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("blockfile-model");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
