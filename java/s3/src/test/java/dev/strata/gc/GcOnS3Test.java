package dev.strata.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.catalog.VersionInfo;
import dev.strata.storage.S3ObjectStore;
import dev.strata.testing.S3MockServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GC over an S3 bucket (Adobe S3Mock): listing times have S3's whole-second precision and come from the server's
 * clock, and the catalog manifest lives in the same bucket.
 */
class GcOnS3Test {

    @TempDir
    Path dir;

    @Test
    void deletesExactlyTheUnsharedObjectsOfExpiredVersionsAndSparesFilesOfACompactionInFlight() {
        try (GcFixture node = new GcFixture(dir, new S3ObjectStore(S3MockServer.shared().newBucket("gc")))) {
            GcFixture.History h = node.newCollection("docs");
            h.commit(List.of(), true, 10);
            h.commit(List.of(0), true, 20);
            h.commit(List.of(GcFixture.IDS - 1), false, 30);
            h.commit(List.of(0), false, 40);
            String oldLog = node.putLogSegment(h.id, 1, 25);
            String newestLog = node.putLogSegment(h.id, 26, 45);
            String inFlight = node.putOrphanBlock(h.id); // written after the current manifest
            node.clock.advance(Duration.ofHours(1));

            GcReport report = node.gc(GcOptions.defaults().withKeepVersions(2).withVersionTtlMs(0)).runOnce();

            CollectionGc c = report.collection(h.id).orElseThrow();
            assertThat(c.error()).isNull();
            assertThat(c.keptVersions()).containsExactly(3L, 4L);
            Set<String> kept = h.objectsOf(List.of(3L, 4L));
            Set<String> expected = new TreeSet<>(h.objectsOf(List.of(1L, 2L)));
            expected.removeAll(kept);
            expected.add(oldLog);
            assertThat(new TreeSet<>(c.allKeys())).isEqualTo(expected);
            Set<String> left = new TreeSet<>(kept);
            left.add(newestLog);
            left.add(inFlight);
            assertThat(node.keysOf(h.id)).isEqualTo(left);
            assertThat(node.catalog.versions(h.id)).extracting(VersionInfo::version).containsExactly(3L, 4L);
        }
    }
}
