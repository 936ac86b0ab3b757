/**
 * Fixture classes for {@link dev.strata.ArchitectureTest}: a miniature of the dev.strata layers (storage, api,
 * segment, query, wal, engine, gc) in which a few classes break a layer rule on purpose, to show the rules catch
 * them. Test code only: never imported by production code or other tests, and nothing here runs.
 */
package dev.strata.archfixture;
