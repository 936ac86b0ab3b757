package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Collection;
import dev.strata.api.CollectionConfiguration;
import dev.strata.api.GetRequest;
import dev.strata.api.RecordSet;
import dev.strata.api.Settings;
import dev.strata.api.Strata;
import dev.strata.storage.LocalObjectStore;
import dev.strata.storage.ObjectMeta;
import dev.strata.storage.ObjectStores;
import dev.strata.storage.S3Encryption;
import dev.strata.storage.S3Options;
import dev.strata.testing.BucketSettings;
import dev.strata.testing.S3MockServer;
import dev.strata.testing.S3Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** strata compact and strata gc on a stopped node's folder. */
class CompactAndGcCommandTest {

    @TempDir
    Path dir;

    @Test
    void compactKeepsEveryRecordAndSaysWhatItDid() {
        fill(dir, "kept", 300);
        fill(dir, "other", 50);
        CliRun run = CliRun.of("compact", "--path", dir.toString(), "--collection", "kept");
        if (run.code() == 0) {
            assertThat(run.out()).contains("compacted kept (").contains("): 300 records in")
                    .contains("compact: 1 collections compacted").doesNotContain("other");
        } else {
            // This node's engine does not compact yet: the command says so in one line and changes nothing.
            assertThat(run.err()).startsWith("strata compact: ").contains("Compaction is not available");
        }
        try (Strata strata = Strata.open(Settings.defaults(dir))) {
            Collection kept = strata.database().getCollection("kept");
            assertThat(kept.count()).isEqualTo(300);
            assertThat(kept.get(GetRequest.builder().ids("kept-7").build()).documents()).containsExactly("doc 7");
        }
    }

    @Test
    void compactFindsACollectionByIdAndRefusesAnUnknownOne() {
        UUID id = fill(dir, "by-id", 10);
        CliRun byId = CliRun.of("compact", "--path", dir.toString(), "--collection", id.toString());
        assertThat(byId.code() == 0 ? byId.out() : byId.err()).contains(byId.code() == 0 ? "compacted by-id (" + id : "Compaction");
        CliRun unknown = CliRun.of("compact", "--path", dir.toString(), "--collection", "nope-nope");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("strata compact: ").contains("nope-nope");
    }

    @Test
    void gcDryRunDeletesNothingThenGcDeletesADroppedCollection() {
        UUID dropped = fill(dir, "dropped", 200);
        UUID live = fill(dir, "live", 100);
        try (Strata strata = Strata.open(Settings.defaults(dir))) {
            strata.database().deleteCollection("dropped");
        }
        // What a writer that died mid-compaction would leave under the dropped collection's prefix.
        String leftover = "c/" + dropped + "/blocks/leftover.arrow";
        try (LocalObjectStore store = store(dir)) {
            store.put(leftover, new byte[] {1, 2, 3});
        }
        List<String> before = keys(dir);

        CliRun dry = CliRun.of("gc", "--path", dir.toString(), "--dry-run", "--grace-ms", "0");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).startsWith("gc dry run: would delete ").contains("collection " + dropped + " (dropped)")
                .contains(leftover + " (3 bytes)");
        assertThat(keys(dir)).isEqualTo(before);

        CliRun gc = CliRun.of("gc", "--path", dir.toString(), "--grace-ms", "0");
        assertThat(gc.code()).as(gc.err()).isZero();
        assertThat(gc.out()).startsWith("gc: deleted ").contains(leftover).doesNotContain("collection " + live + " (dropped)");
        assertThat(keys(dir)).doesNotContain(leftover).noneMatch(k -> k.contains(dropped.toString()));

        // The catalog forgot the dropped collection: a second run has nothing to say about it.
        CliRun again = CliRun.of("gc", "--path", dir.toString(), "--dry-run", "--grace-ms", "0");
        assertThat(again.out()).doesNotContain(dropped.toString());
        try (Strata strata = Strata.open(Settings.defaults(dir))) {
            assertThat(strata.database().getCollection("live").count()).isEqualTo(100);
        }
    }

    @Test
    void gcRefusesANegativeGracePeriod() {
        CliRun run = CliRun.of("gc", "--path", dir.toString(), "--grace-ms", "-1");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("grace_ms must be >= 0");
    }

    @Test
    void compactAndGcOnAnS3NodeWriteWithTheEncryptionOfTheirFlags() {
        S3Options bucket = S3MockServer.shared().newBucket("cli-sse");
        Path node = dir.resolve("node");
        fill(Settings.defaults(node).withAll(BucketSettings.of(bucket)), "kept", 300);
        // the SDK's default chain, first link: system properties (STRATA_S3_ACCESS_KEY_ID is not set in tests)
        System.setProperty("aws.accessKeyId", bucket.accessKeyId());
        System.setProperty("aws.secretAccessKey", bucket.secretAccessKey());
        try (S3Proxy proxy = S3Proxy.inFrontOfS3Mock()) {
            String[] flags = {"--path", node.toString(), "--storage", "s3", "--s3-bucket", bucket.bucket(),
                    "--s3-endpoint", proxy.endpoint().toString(), "--s3-region", bucket.region(), "--s3-sse", "aws:kms",
                    "--s3-kms-key-id", S3MockServer.KMS_KEY_ID};
            CliRun compact = CliRun.of(concat(new String[] {"compact", "--collection", "kept"}, flags));
            assertThat(compact.code()).as(compact.err()).isZero();
            CliRun gc = CliRun.of(concat(new String[] {"gc", "--grace-ms", "0"}, flags));
            assertThat(gc.code()).as(gc.err()).isZero();
            assertThat(proxy.successfulWrites()).as("the compaction's blocks, roots, version and manifests")
                    .hasSizeGreaterThan(3);
            assertThat(proxy.uploadProblems(0, S3Encryption.kms(S3MockServer.KMS_KEY_ID))).isEmpty();
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
        CliRun local = CliRun.of("gc", "--path", dir.resolve("local").toString(), "--s3-sse", "AES256");
        assertThat(local.code()).isEqualTo(2);
        assertThat(local.err()).contains("Setting --s3-sse AES256 (env STRATA_S3_SSE) needs --storage s3 (env STRATA_STORAGE)");
    }

    private static String[] concat(String[] head, String[] tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    private static UUID fill(Path dir, String name, int n) {
        return fill(Settings.defaults(dir), name, n);
    }

    private static UUID fill(Settings settings, String name, int n) {
        try (Strata strata = Strata.open(settings)) {
            Collection c = strata.database().createCollection(name, Map.of("n", n), CollectionConfiguration.defaults());
            List<String> ids = new ArrayList<>();
            List<float[]> embeddings = new ArrayList<>();
            List<String> documents = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ids.add(name + "-" + i);
                embeddings.add(new float[] {i, i % 7, 1});
                documents.add("doc " + i);
            }
            c.add(RecordSet.builder().ids(ids).embeddings(embeddings).documents(documents).build());
            return c.id();
        }
    }

    private static List<String> keys(Path dir) {
        try (LocalObjectStore store = store(dir)) {
            return store.list("").stream().map(ObjectMeta::key).sorted().toList();
        }
    }

    private static LocalObjectStore store(Path dir) {
        return new LocalObjectStore(dir.resolve(ObjectStores.LOCAL_OBJECTS_DIR));
    }
}
