package dev.strata.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.Collection;
import dev.strata.api.CollectionConfiguration;
import dev.strata.api.DeleteRequest;
import dev.strata.api.GetRequest;
import dev.strata.api.GetResult;
import dev.strata.api.Include;
import dev.strata.api.NotWriterException;
import dev.strata.api.QueryRequest;
import dev.strata.api.Settings;
import dev.strata.api.Space;
import dev.strata.api.Strata;
import dev.strata.engine.EmbeddedStrata;
import dev.strata.ops.Verifier;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.ObjectStores;
import dev.strata.storage.S3Options;
import dev.strata.storage.StorageOptions;
import dev.strata.storage.VersionedBytes;
import dev.strata.testing.S3MockServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restore and fencing: a node with an empty folder on the bucket of a stopped node serves the same data; a second
 * node on a bucket whose writer lease is held may not write and never corrupts the writer; a node whose lease was
 * taken over stops writing.
 */
class RestoreAndFencingTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "durability {0}")
    @ValueSource(strings = {"local", "s3"})
    void aNodeWithAnEmptyFolderOnTheBucketOfAStoppedNodeServesTheSameData(String durability) throws IOException {
        S3Options bucket = S3MockServer.shared().newBucket("restore-" + durability);
        Path a = dir.resolve("a");
        Map<String, String> env = CrashLoopTest.busy(CrashLoopTest.s3(bucket, durability));
        Map<String, Map<String, String>> before = new TreeMap<>();
        try (Strata node = Strata.open(Settings.defaults(a).withAll(env))) {
            for (String name : List.of("plain", "cosine")) {
                Collection c = node.database().createCollection(name, Map.of("name", name),
                        name.equals("cosine") ? CollectionConfiguration.defaults().withSpace(Space.COSINE) : null);
                writeHistory(c, name.equals("plain") ? 0 : 1);
                before.put(name, snapshot(c));
            }
        }
        assertThat(before.get("plain")).hasSize(240 - 30);
        deleteRecursively(a);

        try (Strata node = Strata.open(Settings.defaults(dir.resolve("b")).withAll(env))) {
            for (String name : before.keySet()) {
                Collection c = node.database().getCollection(name);
                assertThat(c.metadata()).isEqualTo(Map.of("name", name));
                assertThat(snapshot(c)).as("collection %s on the new node", name).isEqualTo(before.get(name));
                String some = before.get(name).keySet().iterator().next();
                long version = Content.versionOf(some, before.get(name).get(some).split("\\|")[0]);
                assertThat(c.query(QueryRequest.builder().queryEmbeddings(Content.embedding(some, version))
                        .nResults(1).build()).ids()).containsExactly(List.of(some));
            }
            // The new node is the writer now.
            node.database().getCollection("plain").upsert(CrashChild.records(0, List.of("new"), 7));
            assertThat(node.database().getCollection("plain").count()).isEqualTo(before.get("plain").size() + 1);
        }
        assertThat(verify(StorageOptions.s3(bucket), dir.resolve("b")).errors()).isEmpty();
    }

    @Test
    void aSecondNodeMayNotWriteAndNeverCorruptsTheWriter() {
        S3Options bucket = S3MockServer.shared().newBucket("two-nodes");
        Map<String, String> env = CrashLoopTest.s3(bucket, "s3");
        Settings first = Settings.defaults(dir.resolve("first")).withAll(env);
        Settings second = Settings.defaults(dir.resolve("second")).withAll(env);
        Map<String, String> written;
        try (Strata writer = Strata.open(first)) {
            Collection c = writer.database().createCollection("shared", null, null);
            for (int round = 0; round < 3; round++) {
                c.upsert(CrashChild.records(0, ids(round * 50, 50), round));
                // S3Mock's conditional writes are not atomic under concurrency: the two nodes take turns.
                assertThatThrownBy(() -> Strata.open(second))
                        .isInstanceOf(NotWriterException.class)
                        .hasMessageContaining("may not write")
                        .hasMessageContaining("lease");
            }
            c.delete(DeleteRequest.ofIds("r0", "r1"));
            written = snapshot(c);
            assertThat(written).hasSize(148);
        }
        assertThat(verify(StorageOptions.s3(bucket), dir.resolve("first")).errors()).isEmpty();
        // Once the writer closed (releasing its lease), the second node takes over and sees everything.
        try (Strata next = Strata.open(second)) {
            assertThat(snapshot(next.database().getCollection("shared"))).isEqualTo(written);
        }
    }

    @Test
    void aNodeWhoseLeaseWasTakenOverStopsWritingButStillReads() throws Exception {
        // Local storage whose objects folder both nodes share: its conditional writes are atomic across nodes.
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Map<String, String> env = Map.of("STRATA_STORAGE", "local", "STRATA_DURABILITY", "s3");
        try (EmbeddedStrata old = EmbeddedStrata.open(Settings.defaults(a).withAll(env))) {
            Collection c = old.database().createCollection("taken", null, null);
            c.upsert(CrashChild.records(0, ids(0, 20), 1));
            takeOver(old, a, b);
            assertThatThrownBy(() -> c.upsert(CrashChild.records(0, ids(100, 5), 2)))
                    .isInstanceOf(NotWriterException.class).hasMessageContaining("taken over");
            assertThatThrownBy(() -> c.delete(DeleteRequest.ofIds("r0")))
                    .isInstanceOf(NotWriterException.class);
            assertThat(c.count()).as("reads still work").isEqualTo(20);

            try (Strata successor = Strata.open(Settings.defaults(b).withAll(env))) {
                Collection taken = successor.database().getCollection("taken");
                assertThat(taken.count()).isEqualTo(20);
                taken.upsert(CrashChild.records(0, ids(20, 10), 3));
                assertThat(taken.count()).isEqualTo(30);
            }
        }
        assertThat(verify(StorageOptions.local(), a).errors()).isEmpty();
    }

    @Test
    void aNodeWhoseLeaseWasTakenOverNeverUploadsItsLogOverTheSuccessors() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        // Durability local and no upload before close: the old node holds acknowledged log that is only local.
        Map<String, String> env = Map.of("STRATA_STORAGE", "local", "STRATA_DURABILITY", "local",
                "STRATA_WAL_UPLOAD_INTERVAL_MS", "600000");
        try (EmbeddedStrata old = EmbeddedStrata.open(Settings.defaults(a).withAll(env))) {
            Collection c = old.database().createCollection("taken", null, null);
            for (int round = 0; round < 3; round++) {
                c.upsert(CrashChild.records(0, ids(round * 10, 10), round));
            }
            takeOver(old, a, b);
            try (Strata successor = Strata.open(Settings.defaults(b).withAll(env))) {
                Collection taken = successor.database().getCollection("taken");
                // The old node's log never reached the bucket: lost with the takeover, as durability local says.
                assertThat(taken.count()).isZero();
                taken.upsert(CrashChild.records(0, ids(100, 2), 5));
                taken.upsert(CrashChild.records(0, ids(102, 2), 6));
            }
        } // the old node closes last: it must not upload its log now
        try (ObjectStore store = ObjectStores.open(StorageOptions.local(), a)) {
            assertThat(store.list("c/").stream().filter(m -> m.key().contains("/log/")).toList())
                    .as("only the successor's log segments").hasSize(1);
            assertThat(new Verifier(store).verify().errors()).isEmpty();
        }
        Path c = dir.resolve("c");
        Files.createDirectories(c);
        Files.createSymbolicLink(c.resolve("objects"), a.resolve("objects"));
        try (Strata fresh = Strata.open(Settings.defaults(c).withAll(env))) {
            assertThat(fresh.database().getCollection("taken").get(GetRequest.all()).ids())
                    .as("a node recovering from the bucket sees the successor's writes")
                    .containsExactly("r100", "r101", "r102", "r103");
        }
    }

    /**
     * Node b, sharing node a's objects folder, takes over a's lease as it would once a's lease expired (a paused
     * longer than the TTL): epoch + 1. Returns once a noticed (at its next renewal, a third of the TTL).
     */
    private static void takeOver(EmbeddedStrata old, Path a, Path b) throws Exception {
        Files.createDirectories(b);
        Files.createSymbolicLink(b.resolve("objects"), a.resolve("objects"));
        Files.writeString(b.resolve("node-id"), "node-b");
        try (ObjectStore store = ObjectStores.open(StorageOptions.local(), a)) {
            VersionedBytes lease = store.getVersioned("lease.json");
            long epoch = Long.parseLong(new String(lease.data(), StandardCharsets.UTF_8)
                    .replaceAll(".*\"epoch\":(\\d+).*", "$1"));
            store.putIfMatch("lease.json", ("{\"nodeId\":\"node-b\",\"epoch\":" + (epoch + 1) + ",\"expiresAtMs\":"
                    + (System.currentTimeMillis() + 30_000) + "}").getBytes(StandardCharsets.UTF_8), lease.etag());
        }
        long deadline = System.currentTimeMillis() + 25_000;
        while (old.holdsWriterLease() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(old.holdsWriterLease()).as("old node noticed the takeover").isFalse();
    }

    /** 240 adds in batches, then upserts and deletes over them. */
    private static void writeHistory(Collection c, int writer) {
        for (int batch = 0; batch < 4; batch++) {
            c.add(CrashChild.records(writer, ids(batch * 60, 60), batch));
        }
        c.upsert(CrashChild.records(writer, ids(10, 40), 10));
        List<String> deleted = new ArrayList<>();
        for (int i = 100; i < 130; i++) {
            deleted.add("r" + i);
        }
        c.delete(DeleteRequest.of(deleted, null, null));
    }

    private static List<String> ids(int from, int count) {
        return java.util.stream.IntStream.range(from, from + count).mapToObj(i -> "r" + i).toList();
    }

    /** Every record as id -> "document|metadata|embedding", checked whole. */
    static Map<String, String> snapshot(Collection c) {
        GetResult all = c.get(GetRequest.builder().include(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS)
                .build());
        Map<String, String> records = new TreeMap<>();
        for (int i = 0; i < all.size(); i++) {
            String id = all.ids().get(i);
            assertThat(Content.problem(id, all.documents().get(i), all.metadatas().get(i), all.embeddings().get(i)))
                    .isNull();
            records.put(id, all.documents().get(i) + "|" + new TreeMap<>(all.metadatas().get(i)) + "|"
                    + Arrays.toString(all.embeddings().get(i)));
        }
        return records;
    }

    private static dev.strata.ops.VerifyReport verify(StorageOptions options, Path path) {
        try (ObjectStore store = ObjectStores.open(options, path)) {
            return new Verifier(store).verify();
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
