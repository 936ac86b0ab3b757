package dev.strata.ops;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Collection;
import dev.strata.api.RecordSet;
import dev.strata.api.Settings;
import dev.strata.engine.EmbeddedStrata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata stats --raw}: the raw bytes of each current version's records, and stored bytes against them. */
class RawBytesStatsTest {

    private static final int DIMENSION = 8;

    @TempDir
    Path dir;

    @Test
    void rawBytesAreIdsDocumentsMetadataAndFourBytesPerDimension() {
        try (EmbeddedStrata strata = EmbeddedStrata.open(Settings.defaults(dir))) {
            Collection c = strata.database().createCollection("raw", null, null);
            List<String> ids = new ArrayList<>();
            List<String> documents = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            long expected = 0;
            for (int i = 0; i < 100; i++) {
                ids.add("id-" + i);
                documents.add("document number " + i + (i % 7 == 0 ? " with ünïcode" : ""));
                float[] v = new float[DIMENSION];
                v[i % DIMENSION] = i;
                vectors.add(v);
                expected += ids.getLast().getBytes(UTF_8).length + documents.getLast().getBytes(UTF_8).length
                        + DIMENSION * Float.BYTES;
            }
            c.add(RecordSet.builder().ids(ids).documents(documents).embeddings(vectors).build());
            c.compact();

            CollectionStats plain = new StatsCollector(strata.store()).collect().collections().getFirst();
            assertThat(plain.rawBytes()).as("measured only when asked").isNull();
            assertThat(plain.overhead()).isNull();

            CollectionStats s = new StatsCollector(strata.store()).withRawBytes().collect().collections().getFirst();
            assertThat(s.warning()).isNull();
            assertThat(s.rawBytes()).isEqualTo(expected);
            assertThat(s.overhead()).isEqualTo((double) s.totalBytes() / expected);

            c.upsert(RecordSet.builder().ids("id-1").documents(documents.get(1)).embeddings(vectors.get(1))
                    .metadatas(List.of(Map.of("colour", "blue"))).build());
            c.compact();
            CollectionStats withMetadata = new StatsCollector(strata.store()).withRawBytes().collect()
                    .collections().getFirst();
            assertThat(withMetadata.rawBytes()).as("the metadata of id-1 counts").isGreaterThan(expected);
        }
    }
}
