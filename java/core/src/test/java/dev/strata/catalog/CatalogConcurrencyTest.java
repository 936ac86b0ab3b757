package dev.strata.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogConcurrencyTest {
    private static final String T = "default_tenant";
    private static final String DB = "default_database";

    @TempDir
    Path dir;

    @Test
    void concurrentCreatesAndCommitsLoseNothing() throws Exception {
        int creators = 4;
        int perCreator = 30;
        int committers = 4;
        int commitsPerCommitter = 15;
        try (CatalogFixture node = new CatalogFixture(dir, "node1")) {
            Catalog catalog = node.open();
            CollectionRecord shared = catalog.createCollection(T, DB, "shared", null, null, null);
            AtomicInteger conflicts = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(creators + committers);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < creators; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perCreator; i++) {
                        catalog.createCollection(T, DB, "t" + thread + "-" + i, null, null, null);
                        // every thread also races for one common name: exactly one create may win
                        try {
                            catalog.createCollection(T, DB, "common-" + i, null, null, null);
                        } catch (AlreadyExistsException expected) {
                            // another thread created it first
                        }
                    }
                    return null;
                }));
            }
            for (int t = 0; t < committers; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    int done = 0;
                    while (done < commitsPerCommitter) {
                        long v = catalog.getCollection(shared.id()).version();
                        try {
                            catalog.commitVersion(shared.id(), v, v + 1, "c/" + shared.id() + "/v/" + (v + 1), v + 1);
                            done++;
                        } catch (ConflictException lost) {
                            conflicts.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();

            int totalCommits = committers * commitsPerCommitter;
            assertThat(catalog.countCollections(T, DB)).isEqualTo(1 + creators * perCreator + perCreator);
            CollectionRecord after = catalog.getCollection(shared.id());
            assertThat(after.version()).isEqualTo(totalCommits);
            assertThat(catalog.versions(shared.id())).extracting(VersionInfo::version)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, totalCommits).boxed().toList());
            Set<String> names = new HashSet<>();
            catalog.allCollections().forEach(r -> assertThat(names.add(r.name())).as(r.name()).isTrue());

            // what the store holds is what the node saw
            List<CollectionRecord> all = catalog.allCollections();
            node.wipeLocal();
            Catalog rebuilt = node.open();
            assertThat(rebuilt.allCollections()).isEqualTo(all);
            assertThat(rebuilt.versions(shared.id())).hasSize(totalCommits);
        }
    }
}
