package dev.strata.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.storage.ObjectMeta;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Any single flipped bit in any object of the bucket is an error that names that object's key. */
class VerifierProperties {

    private static Path dir;
    private static OpsFixture fixture;
    private static List<ObjectMeta> objects;

    @BeforeContainer
    static void build() throws IOException {
        dir = Files.createTempDirectory("verifier-properties");
        fixture = OpsFixture.build(dir.resolve("node"));
        objects = fixture.store.list("");
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        fixture.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Property(tries = 40)
    void aFlippedBitIsReportedWithItsKey(@ForAll @IntRange(min = 0, max = 10_000) int which,
                                         @ForAll @IntRange(min = 0, max = 1_000_000) int where,
                                         @ForAll @IntRange(min = 0, max = 7) int bit) {
        ObjectMeta target = objects.get(which % objects.size());
        Path file = fixture.file(target.key());
        byte[] original = read(file);
        byte[] damaged = original.clone();
        damaged[where % damaged.length] ^= (byte) (1 << bit);
        write(file, damaged);
        try {
            VerifyReport r = new Verifier(fixture.store, 4).verify();
            assertThat(r.ok()).isFalse();
            assertThat(r.errors()).extracting(Problem::key).contains(target.key());
        } finally {
            write(file, original);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, byte[] data) {
        try {
            Files.write(file, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
