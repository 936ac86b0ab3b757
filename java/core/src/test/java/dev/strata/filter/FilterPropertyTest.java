package dev.strata.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Laws of the filter language over random filters and records. */
class FilterPropertyTest {

    @Property(tries = 300)
    void toMapParsesBackToTheSameFilter(@ForAll("filters") MetadataFilter filter) {
        assertThat(FilterParser.parseWhere(filter.toMap())).isEqualTo(filter);
    }

    @Property(tries = 500)
    void negatedOperatorsAreExactComplements(@ForAll("leaves") MetadataFilter.Leaf leaf, @ForAll("metadata") Map<String, Object> m) {
        MetadataFilter flipped = switch (leaf) {
            case MetadataFilter.Compare c when c.op() == MetadataFilter.CompareOp.EQ -> new MetadataFilter.Compare(c.key(), MetadataFilter.CompareOp.NE, c.value());
            case MetadataFilter.Compare c when c.op() == MetadataFilter.CompareOp.NE -> new MetadataFilter.Compare(c.key(), MetadataFilter.CompareOp.EQ, c.value());
            case MetadataFilter.Compare c -> new MetadataFilter.Compare(c.key(), MetadataFilter.CompareOp.NE, c.value());
            case MetadataFilter.Membership s -> new MetadataFilter.Membership(s.key(), !s.negated(), s.values());
            case MetadataFilter.ArrayContains a -> new MetadataFilter.ArrayContains(a.key(), !a.negated(), a.value());
        };
        if (leaf instanceof MetadataFilter.Compare c && c.op().isRange()) {
            MetadataFilter.CompareOp strict = switch (c.op()) {
                case GTE -> MetadataFilter.CompareOp.GT;
                case LTE -> MetadataFilter.CompareOp.LT;
                default -> c.op();
            };
            if (strict == c.op()) {
                // A strict range match differs from the bound, so $ne of the bound holds too.
                assertThat(leaf.matches(m) && !flipped.matches(m)).isFalse();
            } else {
                // An inclusive range is the strict range or equality with the bound.
                boolean viaParts = new MetadataFilter.Compare(c.key(), strict, c.value()).matches(m)
                        || new MetadataFilter.Compare(c.key(), MetadataFilter.CompareOp.EQ, c.value()).matches(m);
                assertThat(leaf.matches(m)).isEqualTo(viaParts);
            }
        } else {
            assertThat(flipped.matches(m)).isEqualTo(!leaf.matches(m));
        }
    }

    @Property(tries = 300)
    void andOrFollowTheirClauses(@ForAll("filters") MetadataFilter a, @ForAll("filters") MetadataFilter b,
            @ForAll("metadata") Map<String, Object> m) {
        assertThat(new MetadataFilter.And(List.of(a, b)).matches(m)).isEqualTo(a.matches(m) && b.matches(m));
        assertThat(new MetadataFilter.Or(List.of(a, b)).matches(m)).isEqualTo(a.matches(m) || b.matches(m));
    }

    @Provide
    Arbitrary<Map<String, Object>> metadata() {
        Arbitrary<Object> value = Arbitraries.oneOf(scalar(), scalar().list().ofMinSize(1).ofMaxSize(2).map(l -> (Object) l));
        return Arbitraries.maps(Arbitraries.of("a", "b", "c"), value).ofMaxSize(3);
    }

    @Provide
    Arbitrary<MetadataFilter.Leaf> leaves() {
        Arbitrary<String> key = Arbitraries.of("a", "b", "c");
        Arbitrary<MetadataFilter.Leaf> eqNe = Combinators.combine(key, Arbitraries.of(MetadataFilter.CompareOp.EQ, MetadataFilter.CompareOp.NE), scalar())
                .as(MetadataFilter.Compare::new);
        Arbitrary<MetadataFilter.Leaf> range = Combinators.combine(key,
                        Arbitraries.of(MetadataFilter.CompareOp.GT, MetadataFilter.CompareOp.GTE, MetadataFilter.CompareOp.LT, MetadataFilter.CompareOp.LTE),
                        number())
                .as(MetadataFilter.Compare::new);
        Arbitrary<MetadataFilter.Leaf> in = Combinators.combine(key, Arbitraries.of(true, false), number().list().ofMinSize(1).ofMaxSize(3))
                .as((k, neg, vs) -> new MetadataFilter.Membership(k, neg, vs));
        Arbitrary<MetadataFilter.Leaf> contains = Combinators.combine(key, Arbitraries.of(true, false), scalar())
                .as(MetadataFilter.ArrayContains::new);
        return Arbitraries.oneOf(eqNe, range, in, contains);
    }

    @Provide
    Arbitrary<MetadataFilter> filters() {
        return filters(3);
    }

    private Arbitrary<MetadataFilter> filters(int depth) {
        Arbitrary<MetadataFilter> leaf = leaves().map(l -> (MetadataFilter) l);
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<List<MetadataFilter>> children = filters(depth - 1).list().ofMinSize(1).ofMaxSize(3);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, leaf),
                net.jqwik.api.Tuple.of(1, children.map(MetadataFilter.And::new)),
                net.jqwik.api.Tuple.of(1, children.map(MetadataFilter.Or::new)));
    }

    private static Arbitrary<Object> number() {
        return Arbitraries.oneOf(Arbitraries.longs().between(-2, 2).map(l -> (Object) l),
                Arbitraries.of(-1.5, 0.0, 1.0, 2.5).map(d -> (Object) d));
    }

    private static Arbitrary<Object> scalar() {
        return Arbitraries.oneOf(number(), Arbitraries.of("x", "y").map(s -> (Object) s), Arbitraries.of(true, false).map(b -> (Object) b));
    }
}
