package dev.strata.segment;

import static dev.strata.segment.SegmentFixture.adds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.blockfile.BlockfileReader;
import dev.strata.blockfile.ValueType;
import dev.strata.nativeio.Space;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record fields a query returns are cut into smaller blocks than the writer's target. */
class AnswerFieldBlocksTest {

    @TempDir
    Path dir;

    @Test
    void documentsAreCutAtAnEighthOfTheTargetAndStillReadBack() {
        long target = 16 << 10;
        try (SegmentFixture f = new SegmentFixture(dir, Space.L2, target)) {
            // 2000 documents of ~25 bytes: ~60 KB, about 4 blocks at the target, about 30 at an eighth of it
            CompactedVersion v = f.apply(adds(0, 2000, i -> new float[] {i, 1, 2, 3}, i -> Map.of("n", i)));
            BlockfileReader<String> documents = BlockfileReader.open(f.cache,
                    v.manifest().roots().get(SegmentParts.DOCUMENTS), ValueType.STRING);
            assertThat(documents.blockCount()).isGreaterThanOrEqualTo(16);
            assertThat(SegmentFixture.readAll(v).get("r1234").document()).isEqualTo("record 1234 says hello");
        }
    }
}
