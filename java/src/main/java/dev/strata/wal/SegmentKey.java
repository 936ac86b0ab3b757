package dev.strata.wal;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The object key of a sealed segment, {@code c/{collection}/log/{first}-{last}.wal} with 20-digit
 * zero-padded sequence numbers so that a listing sorts by seq. GC parses these keys to find segments
 * wholly below a collection's log cursor.
 */
public record SegmentKey(String collection, long firstSeq, long lastSeq) {

    private static final Pattern KEY = Pattern.compile("c/([^/]+)/log/(\\d{20})-(\\d{20})\\.wal");
    private static final Pattern COLLECTION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public SegmentKey {
        requireValidCollection(collection);
        if (firstSeq < 1 || lastSeq < firstSeq) {
            throw new IllegalArgumentException("segment seq range must be 1 <= first <= last, got " + firstSeq + "-" + lastSeq);
        }
    }

    /** The key under which this segment is stored. */
    public String key() {
        return prefix(collection) + String.format("%020d-%020d.wal", firstSeq, lastSeq);
    }

    /** The prefix under which every sealed segment of {@code collection} is stored. */
    public static String prefix(String collection) {
        return "c/" + collection + "/log/";
    }

    /** The segment a key names, or empty when the key is not a log segment key. */
    public static Optional<SegmentKey> parse(String key) {
        Matcher m = KEY.matcher(key);
        if (!m.matches()) {
            return Optional.empty();
        }
        long first = Long.parseLong(m.group(2));
        long last = Long.parseLong(m.group(3));
        if (first < 1 || last < first || !COLLECTION_ID.matcher(m.group(1)).matches()) {
            return Optional.empty();
        }
        return Optional.of(new SegmentKey(m.group(1), first, last));
    }

    /** Collection ids become folder names and key parts: letters, digits, '.', '_', '-', at most 128. */
    static void requireValidCollection(String collection) {
        if (collection == null || !COLLECTION_ID.matcher(collection).matches()) {
            throw new IllegalArgumentException("invalid collection id '" + collection
                    + "': use 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }
}
