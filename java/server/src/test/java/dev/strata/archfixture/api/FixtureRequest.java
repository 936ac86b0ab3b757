package dev.strata.archfixture.api;

/** An api type that the fixture's storage layer wrongly imports. */
public record FixtureRequest(String id) {
}
