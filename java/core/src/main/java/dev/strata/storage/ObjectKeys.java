package dev.strata.storage;

/**
 * The key rules every backend enforces, so a key that works on the local folder works on S3 and
 * back: non-empty, '/'-separated segments that are neither empty, "." nor "..", no backslash, no
 * control characters, at most 1024 UTF-8 bytes (S3's limit).
 */
public final class ObjectKeys {

    static final int MAX_KEY_BYTES = 1024;

    private ObjectKeys() {}

    /** Returns {@code key} when valid, else throws {@link IllegalArgumentException} saying why. */
    public static String validate(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("invalid object key: must not be empty");
        }
        if (key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("invalid object key: longer than " + MAX_KEY_BYTES + " bytes: "
                    + key.substring(0, 64) + "...");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '\\' || Character.isISOControl(c)) {
                throw new IllegalArgumentException("invalid object key: backslash or control character in " + quoted(key));
            }
        }
        for (String part : key.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException(
                        "invalid object key: empty, '.' or '..' path segment (or leading/trailing '/') in " + quoted(key));
            }
        }
        return key;
    }

    /** Returns {@code prefix} when it is a valid list prefix ("" lists everything). */
    public static String validatePrefix(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("list prefix must not be null (use \"\" for all keys)");
        }
        if (prefix.startsWith("/") || prefix.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("invalid list prefix: " + quoted(prefix));
        }
        return prefix;
    }

    private static String quoted(String s) {
        return "'" + s + "'";
    }
}
