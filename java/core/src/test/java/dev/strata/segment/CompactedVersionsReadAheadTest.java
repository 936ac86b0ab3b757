package dev.strata.segment;

import static dev.strata.segment.SegmentFixture.adds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.nativeio.Space;
import dev.strata.storage.BlockCache;
import dev.strata.storage.ForwardingObjectStore;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectNotFoundException;
import dev.strata.storage.RequestStats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A manifest read ahead (as a node does at open) is not read again by the version's first open. */
class CompactedVersionsReadAheadTest {

    @TempDir
    Path dir;

    @Test
    void aManifestIsReadOnceReadAheadOrNotAndAMissingOneFailsAtOpenAsWithout() {
        try (SegmentFixture f = new SegmentFixture(dir, Space.L2, 1 << 16)) {
            String key = f.apply(adds(0, 300, i -> new float[] {i, 1, 2, 3}, i -> java.util.Map.of("n", i))).manifest().objectKey();
            List<String> gets = Collections.synchronizedList(new ArrayList<>());
            ForwardingObjectStore recording = new ForwardingObjectStore(f.store) {
                @Override
                protected <T> T request(RequestStats.Op op, String k, Supplier<T> call) {
                    gets.add(k);
                    return call.get();
                }

                @Override
                public String describe() {
                    return "recording";
                }
            };
            try (BlockCache cache = new BlockCache(recording, 16L << 20);
                 VectorIndexes indexes = new VectorIndexes(recording, dir.resolve("other"), 10_000)) {
                CompactedVersions versions = new CompactedVersions(cache, indexes, new VersionPins());
                String missing = ObjectLayout.versionManifest(UUID.randomUUID(), 1);
                versions.readAhead(List.of(key, missing));
                assertThat(versions.manifest(key).objectKey()).isEqualTo(key);
                assertThat(gets.stream().filter(key::equals)).hasSize(1);
                // a manifest never changes at its key: a later read is served from memory
                versions.manifest(key);
                assertThat(gets.stream().filter(key::equals)).hasSize(1);
                // and one this node put itself is never read at all
                VersionManifest written = versions.manifest(key).withVersion(7);
                versions.remember(written);
                assertThat(versions.manifest(written.objectKey())).isSameAs(written);
                assertThat(gets).doesNotContain(written.objectKey());
                assertThatThrownBy(() -> versions.open(missing)).isInstanceOf(ObjectNotFoundException.class);
            }
        }
    }
}
