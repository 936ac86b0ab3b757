package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.ops.OpsFixture;
import dev.strata.ops.WithOpsFixture;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.ObjectStores;
import dev.strata.storage.S3Encryption;
import dev.strata.storage.S3Options;
import dev.strata.storage.StorageOptions;
import dev.strata.testing.S3Call;
import dev.strata.testing.S3MockServer;
import dev.strata.testing.S3Proxy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class OpsCommandsTest extends WithOpsFixture {

    StringWriter out;
    StringWriter err;

    private int run(Object command, String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    @Test
    void verifyExitsZeroOnAnIntactBucketAndOneNamingTheKeyOfACorruptBlock() {
        String node = f.node.toString();
        assertThat(run(new VerifyCommand(), "--path", node)).isZero();
        assertThat(out.toString()).contains("OK").contains("2 collections, 2 versions");

        String block = f.idsBlocksV2.getFirst();
        f.flipByte(block);
        assertThat(run(new VerifyCommand(), "--path", node)).isEqualTo(1);
        assertThat(out.toString()).contains("CORRUPT " + block).contains("FAILED: 1 problem(s)");

        assertThat(run(new VerifyCommand(), "--path", node, "--json")).isEqualTo(1);
        assertThat(out.toString()).contains("\"kind\" : \"CORRUPT\"").contains(block);
    }

    @Test
    void statsPrintsATableAndJson() throws Exception {
        assertThat(run(new StatsCommand(), "--path", f.node.toString())).isZero();
        assertThat(out.toString()).contains("default_tenant/default_database/docs").contains("acme/prod/empty")
                .contains("blocks").contains("total");

        assertThat(run(new StatsCommand(), "--path", f.node.toString(), "--json")).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        JsonNode docs = json.get("collections").get(0);
        assertThat(docs.get("name").asText()).isEqualTo("docs");
        assertThat(docs.get("uncompactedRecords").asLong()).isEqualTo(2);
        assertThat(docs.get("records").asLong()).isEqualTo(OpsFixture.RECORDS_V1 + 1);
        assertThat(json.get("bytesByKind").get("blocks").asLong()).isPositive();
        assertThat(docs.path("rawBytes").isNumber()).as("measured only with --raw").isFalse();
        assertThat(out.toString()).doesNotContain("STORED/RAW");
        // both fixture versions are kept (newest 3), every stored byte under exactly one reason
        JsonNode retained = docs.get("retainedBytes");
        assertThat(retained.get("current").asLong()).isPositive();
        long sum = 0;
        for (JsonNode bytes : retained) {
            sum += bytes.asLong();
        }
        long stored = 0;
        for (JsonNode bytes : docs.get("bytesByKind")) {
            stored += bytes.asLong();
        }
        assertThat(sum).isEqualTo(stored);
        assertThat(run(new StatsCommand(), "--path", f.node.toString(), "--keep-versions", "1", "--ttl-ms", "0",
                "--grace-ms", "0"))
                .isZero();
        assertThat(out.toString()).contains("RETAINED BYTES BY REASON").contains("CURRENT").contains("EXPIRED");

        // the fixture's records are vectors only: raw is 4 bytes per dimension of each record
        assertThat(run(new StatsCommand(), "--path", f.node.toString(), "--raw")).isZero();
        assertThat(out.toString()).contains("STORED/RAW").containsPattern("docs +" + (OpsFixture.RECORDS_V1 + 1) * 4 * 4
                + " +\\d+ +\\d+\\.\\d\\dx");
    }

    @Test
    void backupThenRestoreIntoAFreshNodeAndRefuseANonEmptyOne() {
        String backup = dir.resolve("backup").toString();
        String fresh = dir.resolve("fresh").toString();
        assertThat(run(new BackupCommand(), "--path", f.node.toString(), "--to", backup)).isZero();
        assertThat(out.toString()).contains("backed up catalog generation").contains("2 versions");
        assertThat(run(new BackupCommand(), "--path", f.node.toString(), "--to", backup)).isZero();
        assertThat(out.toString()).contains("copied 0 objects");
        assertThat(run(new VerifyCommand(), "--location", backup)).isZero();
        assertThat(out.toString()).contains("OK");
        assertThat(run(new StatsCommand(), "--location", backup)).isZero();
        assertThat(out.toString()).contains("default_tenant/default_database/docs");

        assertThat(run(new RestoreCommand(), "--from", backup, "--path", fresh)).isZero();
        assertThat(out.toString()).contains("restored catalog generation");
        assertThat(run(new VerifyCommand(), "--path", fresh)).isZero();

        assertThat(run(new RestoreCommand(), "--from", backup, "--path", fresh)).isEqualTo(1);
        assertThat(err.toString()).contains("not empty");
        assertThat(run(new RestoreCommand(), "--from", backup, "--path", fresh, "--force")).isZero();
    }

    @Test
    void backupToAnS3LocationWithAPrefixAndVerifyIt() {
        S3Options bucket = S3MockServer.shared().newBucket("ops-cli");
        String location = "s3://" + bucket.bucket() + "/backups/first";
        String[] s3 = {"--s3-endpoint", bucket.endpoint().toString(), "--s3-region", bucket.region(), "--s3-path-style"};
        // the CLI takes credentials from the SDK's default chain: system properties are its first link
        System.setProperty("aws.accessKeyId", bucket.accessKeyId());
        System.setProperty("aws.secretAccessKey", bucket.secretAccessKey());
        try {
            assertThat(run(new BackupCommand(), concat(new String[] {"--path", f.node.toString(), "--to", location}, s3)))
                    .as(err::toString).isZero();
            assertThat(run(new VerifyCommand(), concat(new String[] {"--location", location}, s3))).isZero();
            assertThat(out.toString()).contains("2 collections, 2 versions").contains("OK");
            try (ObjectStore plain = ObjectStores.open(StorageOptions.s3(bucket), null)) {
                assertThat(plain.head("backups/first/catalog/manifest.json")).isPresent();
            }
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    @Test
    void backupAndRestoreWriteEveryObjectWithTheEncryptionOfTheirFlags() {
        S3Options backups = S3MockServer.shared().newBucket("ops-sse-backup");
        S3Options restored = S3MockServer.shared().newBucket("ops-sse-node");
        System.setProperty("aws.accessKeyId", backups.accessKeyId());
        System.setProperty("aws.secretAccessKey", backups.secretAccessKey());
        try (S3Proxy proxy = S3Proxy.inFrontOfS3Mock()
                .allowOnly("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket")) {
            String[] s3 = {"--s3-endpoint", proxy.endpoint().toString(), "--s3-region", backups.region(),
                    "--s3-path-style"};
            String location = "s3://" + backups.bucket() + "/nightly";
            assertThat(run(new BackupCommand(), concat(new String[] {"--path", f.node.toString(), "--to", location,
                    "--s3-sse", "aws:kms", "--s3-kms-key-id", S3MockServer.KMS_KEY_ID}, s3))).as(err::toString).isZero();
            assertThat(run(new RestoreCommand(), concat(new String[] {"--from", location, "--storage", "s3",
                    "--s3-bucket", restored.bucket(), "--s3-sse", "AES256"}, s3))).as(err::toString).isZero();
            assertThat(run(new VerifyCommand(), concat(new String[] {"--storage", "s3", "--s3-bucket",
                    restored.bucket()}, s3))).as(out::toString).isZero();

            assertThat(proxy.refused()).isEmpty();
            List<S3Call> toBackup = writesTo(proxy, backups.bucket());
            List<S3Call> toNode = writesTo(proxy, restored.bucket());
            assertThat(toBackup).isNotEmpty().hasSameSizeAs(toNode);
            assertThat(toBackup).map(c -> c.uploadProblem(S3Encryption.kms(S3MockServer.KMS_KEY_ID))).containsOnlyNulls();
            assertThat(toNode).map(c -> c.uploadProblem(S3Encryption.aes256())).containsOnlyNulls();
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
        // A folder written to cannot be encrypted by S3: refused before anything is copied.
        String folder = dir.resolve("plain-backup").toString();
        assertThat(run(new BackupCommand(), "--path", f.node.toString(), "--to", folder, "--s3-sse", "AES256"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--s3-sse AES256 (env STRATA_S3_SSE) needs S3 storage")
                .contains("the folder " + folder);
        assertThat(java.nio.file.Files.exists(java.nio.file.Path.of(folder))).isFalse();
        assertThat(run(new RestoreCommand(), "--from", f.node.resolve("objects").toString(), "--path",
                dir.resolve("fresh").toString(), "--s3-sse", "aws:kms")).isEqualTo(2);
        assertThat(err.toString()).contains("the node (--storage local)");
        assertThat(run(new VerifyCommand(), "--path", f.node.toString(), "--s3-sse", "sse-c")).isEqualTo(2);
        assertThat(err.toString()).contains("--s3-sse (env STRATA_S3_SSE) must be one of none, AES256, aws:kms");
    }

    /** The successful object writes into {@code bucket}: PUTs and multipart creations (which carry the encryption). */
    private static List<S3Call> writesTo(S3Proxy proxy, String bucket) {
        return proxy.successfulWrites().stream()
                .filter(c -> c.path().startsWith("/" + bucket + "/"))
                .filter(c -> c.operation() == dev.strata.testing.S3Operation.PUT_OBJECT
                        || c.operation() == dev.strata.testing.S3Operation.CREATE_MULTIPART_UPLOAD)
                .toList();
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Arrays.stream(a), Arrays.stream(b)).toArray(String[]::new);
    }

    @Test
    void usageErrorsExitTwoWithAMessage() {
        assertThat(run(new VerifyCommand())).isEqualTo(2);
        assertThat(err.toString()).contains("--path (env STRATA_PATH) is required with --storage local");
        assertThat(run(new StatsCommand(), "--storage", "s3")).isEqualTo(2);
        assertThat(err.toString()).contains("--s3-bucket (env STRATA_S3_BUCKET) is required");
        assertThat(run(new StatsCommand(), "--storage", "ftp", "--path", "x")).isEqualTo(2);
        assertThat(err.toString()).contains("--storage (env STRATA_STORAGE) must be local or s3");
        assertThat(run(new BackupCommand(), "--path", f.node.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--to");
    }

    @Test
    void aFolderWithoutACatalogFailsCleanly() {
        assertThat(run(new StatsCommand(), "--path", dir.resolve("nothing").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("error:").contains("catalog/manifest.json");
    }
}
