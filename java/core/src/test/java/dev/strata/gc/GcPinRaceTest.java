package dev.strata.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.catalog.VersionInfo;
import dev.strata.storage.ForwardingObjectStore;
import dev.strata.storage.LocalObjectStore;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.RequestStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A read that pins an old version while GC is planning (after GC read the pins) still keeps all of it. */
class GcPinRaceTest {

    @TempDir
    Path dir;

    /** Runs a hook once, when GC lists a prefix: the moment after it computed what the kept versions name. */
    private static final class ListHookStore extends ForwardingObjectStore {
        final AtomicReference<Runnable> onList = new AtomicReference<>();

        ListHookStore(ObjectStore delegate) {
            super(delegate);
        }

        @Override
        protected <T> T request(RequestStats.Op op, String key, Supplier<T> call) {
            if (op == RequestStats.Op.LIST) {
                Runnable hook = onList.getAndSet(null);
                if (hook != null) {
                    hook.run();
                }
            }
            return call.get();
        }

        @Override
        public String describe() {
            return "list hook over " + delegate.describe();
        }
    }

    @Test
    void aVersionPinnedAfterThePinsWereReadIsKeptWhole() {
        ListHookStore store = new ListHookStore(new LocalObjectStore(dir.resolve("objects")));
        try (GcFixture node = new GcFixture(dir, store)) {
            GcFixture.History h = node.newCollection("docs");
            h.commit(List.of(), true, 10);
            h.commit(List.of(0), true, 20);
            h.commit(List.of(GcFixture.IDS - 1), false, 30);
            h.commit(List.of(0), false, 40);
            node.clock.advance(Duration.ofHours(1));
            store.onList.set(() -> node.pins.pin(h.id, 1));

            CollectionGc c = node.gc(GcOptions.defaults().withKeepVersions(2).withVersionTtlMs(0)).runOnce()
                    .collection(h.id).orElseThrow();

            assertThat(node.pins.pinnedVersions(h.id)).containsExactly(1L);
            assertThat(c.keptVersions()).containsExactly(1L, 3L, 4L);
            assertThat(c.keys(GcReason.EXPIRED_VERSION)).containsExactly(ObjectLayout.versionManifest(h.id, 2));
            assertThat(node.keysOf(h.id)).containsAll(h.objectsOf(1)).isEqualTo(h.objectsOf(List.of(1L, 3L, 4L)));
            assertThat(node.catalog.versions(h.id)).extracting(VersionInfo::version).containsExactly(1L, 3L, 4L);
            Set<String> gone = new TreeSet<>(h.objectsOf(2));
            gone.removeAll(h.objectsOf(List.of(1L, 3L, 4L)));
            assertThat(gone).isNotEmpty().allSatisfy(k -> assertThat(store.head(k)).isEmpty());
        }
    }
}
