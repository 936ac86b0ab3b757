package dev.strata.engine;

import dev.strata.api.DeleteRequest;
import dev.strata.api.RecordSet;
import dev.strata.api.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

class FormatOneFixtureWriter {
    @Test
    @EnabledIfSystemProperty(named = "strata.fixture", matches = ".+")
    void write() {
        Path node = Path.of(System.getProperty("strata.fixture"));
        try (EmbeddedStrata strata = EmbeddedStrata.open(Settings.defaults(node))) {
            EmbeddedCollection c = (EmbeddedCollection) strata.database().createCollection("legacy", null, null);
            Random r = new Random(7);
            for (int batch = 0; batch < 3; batch++) {
                List<String> ids = new ArrayList<>();
                List<float[]> vs = new ArrayList<>();
                List<String> docs = new ArrayList<>();
                List<Map<String, Object>> metas = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    int n = batch * 200 + i;
                    ids.add("id-" + n);
                    vs.add(FormatOneFixture.vector(n));
                    docs.add("document " + n);
                    metas.add(Map.of("n", n, "even", n % 2 == 0));
                }
                c.add(RecordSet.builder().ids(ids).embeddings(vs).documents(docs).metadatas(metas).build());
                c.compact();
            }
            c.delete(DeleteRequest.ofIds("id-1", "id-2", "id-3"));
            c.update(RecordSet.builder().ids("id-10").embeddings(FormatOneFixture.vector(100_010)).build());
            c.compact();
            c.add(RecordSet.builder().ids("tail-1").embeddings(FormatOneFixture.vector(900_001)).documents("in the log").build());
        }
    }
}
