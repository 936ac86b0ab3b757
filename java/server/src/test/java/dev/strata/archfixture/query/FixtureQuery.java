package dev.strata.archfixture.query;

import dev.strata.archfixture.segment.FixtureSegment;

/** Keeps the rules: query may call segment. */
public final class FixtureQuery {

    public boolean run(FixtureSegment segment) {
        return segment.matches(this);
    }
}
