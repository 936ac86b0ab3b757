package dev.strata.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.reliability.CrashChild.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The crash loop's judge: it must catch lost, half-applied and phantom writes, and accept either outcome of one in flight. */
class AckModelTest {

    private static List<ChildLine> parse(String... lines) {
        List<ChildLine> parsed = new ArrayList<>();
        for (String line : lines) {
            ChildLine l = ChildLine.parse(line);
            if (l != null) {
                parsed.add(l);
            }
        }
        return parsed;
    }

    private static String acked(int writer, Op op, long version, String... ids) {
        return ChildLine.intent(writer, op, version, List.of(ids)) + "\n"
                + ChildLine.ack(writer, op, version, Content.hash(op.name(), List.of(ids), version));
    }

    private static List<ChildLine> run(String... events) {
        return parse(String.join("\n", events).split("\n"));
    }

    @Test
    void acknowledgedWritesMustAllBeThere() {
        AckModel model = new AckModel();
        AckModel.Run r = model.ingest(run(ChildLine.ready(), acked(0, Op.ADD, 1, "a", "b"), acked(0, Op.ADD, 2, "a"),
                acked(0, Op.UPSERT, 3, "b"), acked(1, Op.DELETE, 4, "c")));
        assertThat(r.problems()).isEmpty();
        assertThat(r.inFlight()).isEmpty();
        assertThat(model.present()).isEqualTo(Map.of("a", 1L, "b", 3L));   // add of a present id is ignored

        assertThat(new AckModel().reconcile(Map.of(), List.of())).isEmpty();
        assertThat(model.reconcile(Map.of("a", 1L), List.of())).singleElement().asString().contains("b v3 reads as absent");
    }

    @Test
    void aLostAcknowledgedDeleteAndAPhantomAreCaught() {
        AckModel model = new AckModel();
        model.ingest(run(acked(0, Op.UPSERT, 1, "a"), acked(0, Op.DELETE, 2, "a")));
        assertThat(model.reconcile(Map.of("a", 1L, "zz", 9L), List.of()))
                .hasSize(2).anyMatch(p -> p.contains("a v1 is present")).anyMatch(p -> p.contains("zz v9"));
    }

    @Test
    void aWriteInFlightMayBeThereWholeOrNotAtAllButNeverHalf() {
        for (Map<String, Long> observed : List.of(Map.of("a", 1L), Map.of("a", 2L, "b", 2L))) {
            AckModel model = new AckModel();
            AckModel.Run r = model.ingest(run(acked(0, Op.UPSERT, 1, "a"),
                    ChildLine.intent(0, Op.UPSERT, 2, List.of("a", "b"))));
            assertThat(r.inFlight()).hasSize(1);
            assertThat(model.reconcile(observed, r.inFlight())).isEmpty();
            assertThat(model.present()).isEqualTo(observed);   // the outcome is adopted
        }
        AckModel model = new AckModel();
        AckModel.Run r = model.ingest(run(acked(0, Op.UPSERT, 1, "a"),
                ChildLine.intent(0, Op.UPSERT, 2, List.of("a", "b"))));
        assertThat(model.reconcile(Map.of("a", 1L, "b", 2L), r.inFlight()))
                .singleElement().asString().contains("half applied");
    }

    @Test
    void aLineCutShortByTheKillIsNotAnAcknowledgement() {
        String ack = ChildLine.ack(0, Op.ADD, 1, 42);
        assertThat(ChildLine.parse(ack.substring(0, ack.indexOf("ADD") + 2))).isNull();
        assertThat(ChildLine.parse("12:00:00.000 WARN some log line")).isNull();
        AckModel model = new AckModel();
        AckModel.Run r = model.ingest(run(ChildLine.ack(0, Op.ADD, 1, 42)));
        assertThat(r.problems()).singleElement().asString().contains("without its intent");
        r = model.ingest(run(ChildLine.intent(0, Op.ADD, 1, List.of("a")), ChildLine.ack(0, Op.ADD, 1, 41)));
        assertThat(r.problems()).singleElement().asString().contains("hash");
    }
}
