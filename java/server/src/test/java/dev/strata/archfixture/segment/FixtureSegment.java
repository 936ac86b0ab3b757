package dev.strata.archfixture.segment;

import dev.strata.archfixture.query.FixtureQuery;

/** Breaks the rule on purpose: segment must not import query (and this closes a loop with FixtureQuery). */
public final class FixtureSegment {

    public boolean matches(FixtureQuery query) {
        return query != null;
    }
}
