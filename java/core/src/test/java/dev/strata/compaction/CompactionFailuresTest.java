package dev.strata.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.storage.LocalObjectStore;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a stuck collection leaves for operators: one record per collection, kept in the bucket while it fails. */
class CompactionFailuresTest {

    @TempDir
    Path dir;

    @Test
    void causesThatDifferOnlyInNumbersAndIdsAreOneCause() {
        assertThat(CompactionFailures.sameCause("injected failure at write 12 (c/1f0e0e0e-0000-4000-8000-000000000001/b/x)",
                "injected failure at write 97 (c/2a0e0e0e-0000-4000-8000-000000000002/b/x)")).isTrue();
        assertThat(CompactionFailures.sameCause("disk full", "access denied")).isFalse();
    }

    @Test
    void failuresArePersistedUntilTheCollectionCompactsAgain() {
        try (LocalObjectStore store = new LocalObjectStore(dir)) {
            CompactionFailures failures = new CompactionFailures(store);
            UUID a = UUID.randomUUID();
            UUID b = UUID.randomUUID();
            failures.failed(a, new IllegalStateException("native index refused M", new RuntimeException("root")));
            failures.failed(a, new IllegalStateException("native index refused M", new RuntimeException("root")));
            failures.failed(b, new RuntimeException("slow down"));
            assertThat(failures.of(a)).get().satisfies(f -> {
                assertThat(f.attempts()).isEqualTo(2);
                assertThat(f.cause()).contains("native index refused M").contains("caused by RuntimeException: root");
            });
            assertThat(CompactionFailures.read(store)).extracting(CompactionFailures.Failure::collection)
                    .containsExactlyInAnyOrder(a, b);

            failures.succeeded(a);
            failures.retainOnly(java.util.List.of(a));
            assertThat(failures.all()).isEmpty();
            assertThat(failures.failedAttempts()).isEqualTo(3);
            assertThat(CompactionFailures.read(store)).isEmpty();
        }
    }

    @Test
    void theObjectNamesItsFormatAndOneOfANewerFormatIsNewerNotCorrupt() {
        String key = dev.strata.storage.ObjectLayout.COMPACTION_FAILURES;
        try (LocalObjectStore store = new LocalObjectStore(dir)) {
            CompactionFailures failures = new CompactionFailures(store);
            UUID a = UUID.randomUUID();
            failures.failed(a, new RuntimeException("slow down"));
            assertThat(new String(store.get(key))).startsWith("{\"format\":1,\"failing\":[");

            // Written before the field existed: version 1.
            store.put(key, ("{\"failing\":[{\"collection\":\"" + a + "\",\"cause\":\"x\",\"since\":\"2026-12-01T00:00:00Z\","
                    + "\"attempts\":2,\"lastAttempt\":\"2026-12-01T00:01:00Z\"}]}").getBytes());
            assertThat(CompactionFailures.read(store)).singleElement().satisfies(f -> {
                assertThat(f.collection()).isEqualTo(a);
                assertThat(f.attempts()).isEqualTo(2);
            });

            store.put(key, "{\"format\":2,\"failing\":[]}".getBytes());
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> CompactionFailures.read(store))
                    .isInstanceOf(dev.strata.storage.UnsupportedFormatVersionException.class)
                    .hasMessageContaining("compaction failures format version 2 was written by a newer Strata");
            for (String damaged : java.util.List.of("{\"format\":1,\"failing\":[", "[]", "{\"format\":\"one\"}")) {
                store.put(key, damaged.getBytes());
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> CompactionFailures.read(store))
                        .isInstanceOf(dev.strata.storage.CorruptObjectException.class).hasMessageContaining(key);
            }
        }
    }
}
