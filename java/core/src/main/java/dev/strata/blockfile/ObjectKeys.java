package dev.strata.blockfile;

/** Object names of blockfiles under a caller's key prefix (DESIGN.md §2): {@code {prefix}b/{id}}, {@code {prefix}r/{id}}. */
final class ObjectKeys {

    private static final String BLOCKS = "b/";
    private static final String ROOTS = "r/";

    private ObjectKeys() {}

    static String checkPrefix(String keyPrefix) {
        if (keyPrefix == null || !(keyPrefix.isEmpty() || keyPrefix.endsWith("/"))) {
            throw new IllegalArgumentException("a blockfile key prefix is empty or ends with '/', got " + keyPrefix);
        }
        return keyPrefix;
    }

    static String block(String keyPrefix, String blockId) {
        return keyPrefix + BLOCKS + blockId;
    }

    static String root(String keyPrefix, String rootId) {
        return keyPrefix + ROOTS + rootId;
    }

    /** The key prefix a root key was written under: {@code c/x/} for {@code c/x/r/{id}}. */
    static String prefixOfRoot(String rootKey) {
        int slash = rootKey == null ? -1 : rootKey.lastIndexOf('/');
        if (slash < 1 || slash == rootKey.length() - 1 || !rootKey.startsWith(ROOTS, slash - 1)
                || (slash >= 2 && rootKey.charAt(slash - 2) != '/')) {
            throw new IllegalArgumentException("not a blockfile root key ({prefix}r/{id}): " + rootKey);
        }
        return rootKey.substring(0, slash - 1);
    }
}
