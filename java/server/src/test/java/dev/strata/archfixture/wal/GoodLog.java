package dev.strata.archfixture.wal;

import dev.strata.archfixture.storage.BadStore;

/** Keeps the rules: the log may call storage. */
public final class GoodLog {

    private final BadStore store = new BadStore();

    public BadStore store() {
        return store;
    }
}
