package dev.strata.archfixture.storage;

import dev.strata.archfixture.api.FixtureRequest;

/** Breaks the rule on purpose: storage is the bottom layer and must not import the api. */
public final class BadStore {

    public String keyOf(FixtureRequest request) {
        return request.id();
    }
}
