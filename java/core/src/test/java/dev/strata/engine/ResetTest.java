package dev.strata.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Collection;
import dev.strata.api.NotFoundException;
import dev.strata.api.Settings;
import dev.strata.api.Strata;
import dev.strata.api.StrataException;
import dev.strata.storage.ObjectMeta;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reset on the real engine: everything at once, the defaults back and empty, the objects gone with GC. */
class ResetTest {

    @TempDir
    Path dir;

    private EmbeddedStrata strata;

    @BeforeEach
    void open() {
        strata = EmbeddedStrata.open(Settings.defaults(dir).withAll(Map.of(
                "STRATA_COMPACTION_THRESHOLD_RECORDS", "50", "STRATA_GC_TTL_MS", "0", "STRATA_GC_GRACE_MS", "0")));
    }

    @AfterEach
    void close() {
        strata.close();
    }

    private List<String> collectionObjects() {
        return strata.store().list("c/").stream().map(ObjectMeta::key).toList();
    }

    @Test
    void resetDeletesEveryTenantDatabaseAndCollectionAndLeavesTheDefaultsEmpty() {
        Collection a = strata.database().createCollection("alpha", null, null);
        a.add(ForkTest.records(0, 120, "a"));
        a.compact();
        strata.createTenant("acme");
        strata.createDatabase("acme", "sales").createCollection("beta", null, null).add(ForkTest.records(0, 10, "b"));
        strata.createDatabase(Strata.DEFAULT_TENANT, "other");
        assertThat(collectionObjects()).isNotEmpty();

        strata.reset();

        assertThat(strata.database().listCollections(null, 0)).isEmpty();
        assertThat(strata.listDatabases(Strata.DEFAULT_TENANT, null, 0)).extracting(d -> d.name())
                .containsExactly(Strata.DEFAULT_DATABASE);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> strata.getTenant("acme")))
                .isInstanceOf(NotFoundException.class);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> a.count())).isInstanceOf(NotFoundException.class);
        // The names are free again, and a collection of an old name starts empty.
        assertThat(strata.database().createCollection("alpha", null, null).count()).isZero();

        strata.collectGarbage();
        assertThat(collectionObjects()).as("every object of the dropped collections is deleted").isEmpty();
        assertThat(strata.catalog().droppedCollections()).isEmpty();

        // The same after a restart: the manifest says so, not only this node's memory.
        strata.close();
        strata = EmbeddedStrata.open(Settings.defaults(dir));
        assertThat(strata.database().listCollections(null, 0)).extracting(Collection::name).containsExactly("alpha");
    }

    /**
     * Writers and compaction keep running while reset happens: each write either lands before (and goes with its
     * collection) or fails as not found; nothing half-deleted is ever visible, and the node goes on working.
     */
    @Test
    void resetUnderConcurrentWritesAndCompaction() throws Exception {
        List<Collection> collections = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            collections.add(strata.database().createCollection("busy" + i, null, null));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger acknowledged = new AtomicInteger();
        List<Throwable> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService writers = Executors.newFixedThreadPool(3)) {
            List<Future<?>> running = new ArrayList<>();
            for (Collection c : collections) {
                running.add(writers.submit(() -> {
                    for (int n = 0; !stop.get(); n += 20) {
                        try {
                            c.add(ForkTest.records(n, n + 20, "w"));
                            acknowledged.incrementAndGet();
                            c.count();
                        } catch (NotFoundException gone) {
                            return;
                        } catch (StrataException e) {
                            unexpected.add(e);
                            return;
                        }
                    }
                }));
            }
            while (acknowledged.get() < 15) {
                Thread.sleep(5);
            }
            strata.reset();
            stop.set(true);
            for (Future<?> f : running) {
                f.get();
            }
        }
        assertThat(unexpected).isEmpty();
        assertThat(strata.database().listCollections(null, 0)).isEmpty();
        Collection fresh = strata.database().createCollection("busy0", null, null);
        fresh.add(ForkTest.records(0, 5, "after"));
        assertThat(fresh.count()).isEqualTo(5);
        strata.collectGarbage();
        assertThat(collectionObjects()).allSatisfy(k -> assertThat(k).startsWith("c/" + fresh.id()));
    }
}
