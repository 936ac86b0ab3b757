package dev.strata.archfixture.engine;

import dev.strata.archfixture.gc.FixtureCollector;

/** Keeps the rules: the engine's Maintenance builds and starts GC. */
final class Maintenance {

    final FixtureCollector gc = new FixtureCollector();
}
