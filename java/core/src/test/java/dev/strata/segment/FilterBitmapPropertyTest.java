package dev.strata.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.filter.DocumentFilter;
import dev.strata.filter.MetadataFilter.CompareOp;
import dev.strata.filter.MetadataFilter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.roaringbitmap.RoaringBitmap;

/**
 * The metadata segment's bitmaps equal the record-by-record evaluator, for random records and
 * filters, on a first version and on a second one written from updates and deletes (the delta path).
 */
class FilterBitmapPropertyTest {

    @Property(tries = 30)
    void bitmapsEqualTheRecordByRecordEvaluator(
            @ForAll("records") List<Record> records,
            @ForAll("changes") List<Record> updates,
            @ForAll("filters") List<MetadataFilter> wheres,
            @ForAll("documentFilters") List<DocumentFilter> whereDocuments) throws IOException {
        Path dir = Files.createTempDirectory("filter-prop");
        try (SegmentFixture f = new SegmentFixture(dir, dev.strata.nativeio.Space.L2, 2048)) {
            f.apply(batch(LogOperation.ADD, records));
            check(f, wheres, whereDocuments);
            List<String> deletes = records.stream().map(Record::id).filter(id -> id.hashCode() % 4 == 0).toList();
            f.apply(batch(LogOperation.UPSERT, updates), LogBatch.delete(deletes));
            check(f, wheres, whereDocuments);
        } finally {
            deleteTree(dir);
        }
    }

    private static void check(SegmentFixture f, List<MetadataFilter> wheres, List<DocumentFilter> whereDocuments) {
        CompactedVersion v = f.current;
        Map<Integer, Record> byOffset = new LinkedHashMap<>();
        f.expected.forEach((id, r) -> byOffset.put(v.offsetOf(id), r));
        assertThat(v.liveOffsets().getCardinality()).isEqualTo(f.expected.size());
        for (int i = 0; i < wheres.size(); i++) {
            MetadataFilter where = wheres.get(i);
            DocumentFilter doc = i < whereDocuments.size() ? whereDocuments.get(i) : null;
            RoaringBitmap expected = new RoaringBitmap();
            byOffset.forEach((o, r) -> {
                if (where.matches(r.metadata()) && (doc == null || doc.matches(r.document()))) {
                    expected.add(o);
                }
            });
            assertThat(v.matching(where, doc)).as("where %s, where_document %s", where, doc).isEqualTo(expected);
        }
        for (DocumentFilter doc : whereDocuments) {
            RoaringBitmap expected = new RoaringBitmap();
            byOffset.forEach((o, r) -> {
                if (doc.matches(r.document())) {
                    expected.add(o);
                }
            });
            assertThat(v.matching(null, doc)).as("where_document %s", doc).isEqualTo(expected);
        }
    }

    private static LogBatch batch(LogOperation op, List<Record> records) {
        return new LogBatch(op, records.stream().map(Record::id).toList(), null,
                records.stream().map(Record::document).toList(),
                records.stream().map(Record::metadata).toList(), null);
    }

    @Provide
    Arbitrary<List<Record>> records() {
        return record().list().ofMinSize(1).ofMaxSize(60).uniqueElements(Record::id);
    }

    @Provide
    Arbitrary<List<Record>> changes() {
        return record().list().ofMaxSize(25).uniqueElements(Record::id);
    }

    private Arbitrary<Record> record() {
        return Combinators.combine(Arbitraries.integers().between(0, 80).map(i -> "id" + i), document(), metadata())
                .as((id, doc, meta) -> new Record(id, null, doc, meta, null));
    }

    private static Arbitrary<String> document() {
        return Arbitraries.oneOf(
                text(12),
                Arbitraries.just(null));
    }

    private static Arbitrary<Map<String, Object>> metadata() {
        Arbitrary<Object> value = Arbitraries.oneOf(scalar(),
                Arbitraries.longs().between(-3, 3).list().ofMinSize(1).ofMaxSize(3).map(l -> (Object) List.copyOf(l)),
                Arbitraries.of(-1.5, 0.0, 2.0).list().ofMinSize(1).ofMaxSize(3).map(l -> (Object) List.copyOf(l)),
                Arbitraries.of("x", "y", "z").list().ofMinSize(1).ofMaxSize(2).map(l -> (Object) List.copyOf(l)),
                Arbitraries.of(true, false).list().ofMinSize(1).ofMaxSize(2).map(l -> (Object) List.copyOf(l)));
        return Arbitraries.maps(Arbitraries.of("a", "b", "c"), value).ofMaxSize(3)
                .map(m -> m.isEmpty() ? null : m);
    }

    @Provide
    Arbitrary<List<MetadataFilter>> filters() {
        return filter(2).list().ofMinSize(1).ofMaxSize(25);
    }

    private Arbitrary<MetadataFilter> filter(int depth) {
        Arbitrary<String> key = Arbitraries.of("a", "b", "c", "absent");
        Arbitrary<MetadataFilter> eqNe = Combinators.combine(key, Arbitraries.of(CompareOp.EQ, CompareOp.NE), scalar())
                .as(MetadataFilter.Compare::new);
        Arbitrary<MetadataFilter> range = Combinators.combine(key,
                Arbitraries.of(CompareOp.GT, CompareOp.GTE, CompareOp.LT, CompareOp.LTE), number())
                .as(MetadataFilter.Compare::new);
        Arbitrary<MetadataFilter> in = Combinators.combine(key, Arbitraries.of(true, false),
                        Arbitraries.oneOf(number().list().ofMinSize(1).ofMaxSize(3),
                                Arbitraries.of("x", "y", "q").map(s -> (Object) s).list().ofMinSize(1).ofMaxSize(2)))
                .as(MetadataFilter.Membership::new);
        Arbitrary<MetadataFilter> contains = Combinators.combine(key, Arbitraries.of(true, false), scalar())
                .as(MetadataFilter.ArrayContains::new);
        Arbitrary<MetadataFilter> leaf = Arbitraries.oneOf(eqNe, range, in, contains);
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<List<MetadataFilter>> children = filter(depth - 1).list().ofMinSize(1).ofMaxSize(3);
        return Arbitraries.frequencyOf(Tuple.of(3, leaf),
                Tuple.of(1, children.map(MetadataFilter.And::new)),
                Tuple.of(1, children.map(MetadataFilter.Or::new)));
    }

    @Provide
    Arbitrary<List<DocumentFilter>> documentFilters() {
        Arbitrary<DocumentFilter> contains = Combinators.combine(
                        text(5), Arbitraries.of(true, false))
                .as(DocumentFilter.Contains::new);
        Arbitrary<DocumentFilter> regex = Combinators.combine(Arbitraries.of("a.b", "^ab", "c$", "b+c", "a b", "abc", "😀a", "ab",
                        // RE2 syntax: the trigram pre-filter must take only plain text for a literal.
                        "(?i)AB", "a{2}", "\\x{61}b", "[[:alpha:]]c", "\\Qa.b\\E", "a|bc"),
                        Arbitraries.of(true, false))
                .as(DocumentFilter.Regex::new);
        Arbitrary<DocumentFilter> leaf = Arbitraries.frequencyOf(Tuple.of(3, contains), Tuple.of(1, regex));
        Arbitrary<List<DocumentFilter>> children = leaf.list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<DocumentFilter> any = Arbitraries.frequencyOf(Tuple.of(3, leaf),
                Tuple.of(1, children.map(DocumentFilter.And::new)),
                Tuple.of(1, children.map(DocumentFilter.Or::new)));
        return any.list().ofMaxSize(10);
    }

    /** Well-formed text (as every string is once it went through the log codec), with a non-BMP character. */
    private static Arbitrary<String> text(int maxCodePoints) {
        return Arbitraries.of("a", "b", "c", " ", "😀").list().ofMaxSize(maxCodePoints).map(l -> String.join("", l));
    }

    private static Arbitrary<Object> number() {
        return Arbitraries.oneOf(Arbitraries.longs().between(-3, 3).map(l -> (Object) l),
                Arbitraries.of(-1.5, -0.0, 0.0, 1.0, 2.0, 2.5).map(d -> (Object) d));
    }

    private static Arbitrary<Object> scalar() {
        return Arbitraries.oneOf(number(), Arbitraries.of("x", "y", "z").map(s -> (Object) s),
                Arbitraries.of(true, false).map(b -> (Object) b));
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
