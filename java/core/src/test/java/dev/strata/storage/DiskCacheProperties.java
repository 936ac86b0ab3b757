package dev.strata.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the sequence of puts, reads and invalidations, the disk tier stays bounded and honest. */
class DiskCacheProperties {

    record Step(int kind, int key, int size) {}

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(0, 900)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 60)
    void boundedAndNeverReturnsBytesOtherThanTheLastPut(@ForAll("steps") List<Step> steps,
                                                        @ForAll("capacities") long capacity) throws IOException {
        Path dir = Files.createTempDirectory("strata-disk-prop");
        try {
            DiskCache cache = DiskCache.open(dir, capacity);
            Map<String, byte[]> lastPut = new HashMap<>();
            for (Step s : steps) {
                String key = "c/x/b/" + s.key();
                switch (s.kind()) {
                    case 0 -> {
                        byte[] data = new byte[s.size()];
                        java.util.Arrays.fill(data, (byte) (s.size() * 31 + s.key()));
                        cache.put(key, data);
                        lastPut.put(key, data);
                    }
                    case 1 -> {
                        byte[] got = cache.get(key);
                        if (got != null) {
                            assertThat(got).isEqualTo(lastPut.get(key));
                        }
                    }
                    default -> {
                        cache.invalidate(key);
                        assertThat(cache.get(key)).isNull();
                    }
                }
                assertThat(cache.usedBytes()).isLessThanOrEqualTo(capacity).isEqualTo(bytesOnDisk(dir));
            }
            DiskCache reopened = DiskCache.open(dir, capacity);
            assertThat(reopened.usedBytes()).isEqualTo(cache.usedBytes());
            assertThat(reopened.entries()).isEqualTo(cache.entries());
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Provide
    Arbitrary<Long> capacities() {
        return Arbitraries.longs().between(500, 6000);
    }

    private static long bytesOnDisk(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
