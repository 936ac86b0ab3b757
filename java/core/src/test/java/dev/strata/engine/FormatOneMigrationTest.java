package dev.strata.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Collection;
import dev.strata.api.GetRequest;
import dev.strata.api.Include;
import dev.strata.api.QueryRequest;
import dev.strata.api.QueryResult;
import dev.strata.api.Settings;
import dev.strata.catalog.CollectionRecord;
import dev.strata.segment.VersionManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node folder written by the first format (vectors in record.embeddings and an HNSW index file per version,
 * fixtures/format1-node, written by FormatOneFixtureWriter on the engine of that format) opens and answers,
 * and its next compaction converts it to the clustered index with every record and vector kept.
 */
class FormatOneMigrationTest {

    @TempDir
    Path dir;

    @Test
    void aFormatOneBucketOpensAndItsNextCompactionConvertsIt() throws IOException {
        Path node = dir.resolve("node");
        copy(Path.of("src/test/resources/fixtures/format1-node"), node);
        try (EmbeddedStrata strata = EmbeddedStrata.open(Settings.defaults(node))) {
            Collection c = strata.database().getCollection("legacy");
            assertThat(manifest(strata, c).format()).isEqualTo(1);
            assertAnswers(c);

            ((EmbeddedCollection) c).compact();
            VersionManifest converted = manifest(strata, c);
            assertThat(converted.format()).isEqualTo(VersionManifest.FORMAT);
            assertThat(converted.indexFiles()).isEmpty();
            assertThat(converted.roots()).doesNotContainKey("record.embeddings");
            assertThat(converted.segmentIds()).isNotEmpty();
            assertAnswers(c);
        }
        // Reopened from the bucket alone (the node's cache dropped): the converted version answers the same.
        try (EmbeddedStrata strata = EmbeddedStrata.open(Settings.defaults(node))) {
            assertAnswers(strata.database().getCollection("legacy"));
        }
    }

    private static VersionManifest manifest(EmbeddedStrata strata, Collection c) {
        CollectionRecord r = strata.catalog().getCollection(c.id());
        return VersionManifest.decode(r.versionKey(), strata.store().get(r.versionKey()));
    }

    private static void assertAnswers(Collection c) {
        // 600 written, 3 deleted, one added in the log after the last compaction.
        assertThat(c.count()).isEqualTo(598);
        var got = c.get(GetRequest.builder().ids(List.of("id-10", "id-500", "tail-1", "id-2"))
                .include(Include.EMBEDDINGS, Include.DOCUMENTS).build());
        assertThat(got.ids()).containsExactlyInAnyOrder("id-10", "id-500", "tail-1");
        for (int i = 0; i < got.ids().size(); i++) {
            String id = got.ids().get(i);
            float[] expected = switch (id) {
                case "id-10" -> FormatOneFixture.vector(100_010);
                case "id-500" -> FormatOneFixture.vector(500);
                default -> FormatOneFixture.vector(900_001);
            };
            assertThat(got.embeddings().get(i)).as(id).containsExactly(expected);
        }
        for (int n : new int[] {0, 10, 250, 599}) {
            float[] q = n == 10 ? FormatOneFixture.vector(100_010) : FormatOneFixture.vector(n);
            QueryResult r = c.query(QueryRequest.builder().queryEmbeddings(List.of(q)).nResults(3).build());
            assertThat(r.ids().getFirst().getFirst()).isEqualTo("id-" + n);
        }
        // "document 25", 250..259 (written by format 1, kept as one bitmap per trigram, then per chunk once converted);
        // "document 2" was deleted
        var contains = c.get(GetRequest.builder().whereDocument(dev.strata.api.WhereDocument.contains("document 25")).build());
        assertThat(contains.ids()).containsExactlyInAnyOrder("id-25", "id-250", "id-251", "id-252", "id-253", "id-254",
                "id-255", "id-256", "id-257", "id-258", "id-259");
        assertThat(c.get(GetRequest.builder().whereDocument(dev.strata.api.WhereDocument.contains("in the log")).build()).ids())
                .containsExactly("tail-1");
        // Metadata values (one bitmap per value in formats 1 to 3, then per chunk once converted): ranges, equality,
        // and a filter a deleted record (id-2) and one without metadata (tail-1) would break.
        assertThat(c.get(GetRequest.builder().where(dev.strata.api.Where.parse(Map.of("n", Map.of("$gte", 595)))).build()).ids())
                .containsExactlyInAnyOrder("id-595", "id-596", "id-597", "id-598", "id-599");
        assertThat(c.get(GetRequest.builder().where(dev.strata.api.Where.parse(Map.of("$and",
                List.of(Map.of("even", true), Map.of("n", Map.of("$lt", 7)))))).build()).ids())
                .containsExactlyInAnyOrder("id-0", "id-4", "id-6");
        assertThat(c.get(GetRequest.builder().where(dev.strata.api.Where.parse(Map.of("n", 10))).build()).ids())
                .containsExactly("id-10");
        QueryResult deleted = c.query(QueryRequest.builder().queryEmbeddings(List.of(FormatOneFixture.vector(2))).nResults(5).build());
        assertThat(deleted.ids().getFirst()).doesNotContain("id-1", "id-2", "id-3");
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
