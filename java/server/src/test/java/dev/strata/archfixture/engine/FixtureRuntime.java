package dev.strata.archfixture.engine;

import dev.strata.archfixture.gc.FixtureCollector;
import dev.strata.archfixture.gc.GcReport;

/** Breaks the rule on purpose: an engine class other than Maintenance builds a garbage collector. */
final class FixtureRuntime {

    GcReport collect() {
        return new FixtureCollector().runOnce();
    }
}
