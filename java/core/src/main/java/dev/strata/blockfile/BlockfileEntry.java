package dev.strata.blockfile;

/** One entry of a blockfile scan. */
public record BlockfileEntry<V>(BlockKey key, V value) {

    public String prefix() {
        return key.prefix();
    }
}
