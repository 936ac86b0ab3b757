package dev.strata.blockfile;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * Sorted composite keys in column form, as stored in a block (every key) or a root (each block's first
 * key). Arrow columns: {@code prefix} utf8, {@code key_kind} int8, and one of {@code key_int} int64
 * (int keys, bools as 0/1), {@code key_float} float64 or {@code key_str} utf8 set per row.
 * In memory: heap arrays, with runs of equal prefixes sharing one String.
 */
final class KeyColumns {

    private static final String PREFIX = "prefix";
    private static final String KIND = "key_kind";
    private static final String INT = "key_int";
    private static final String FLOAT = "key_float";
    private static final String STR = "key_str";

    static final List<Field> FIELDS = List.of(
            new Field(PREFIX, FieldType.notNullable(ArrowType.Utf8.INSTANCE), null),
            new Field(KIND, FieldType.notNullable(new ArrowType.Int(8, true)), null),
            new Field(INT, FieldType.nullable(new ArrowType.Int(64, true)), null),
            new Field(FLOAT, FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)), null),
            new Field(STR, FieldType.nullable(ArrowType.Utf8.INSTANCE), null));

    private final String[] prefixes;
    private final byte[] kinds;
    private final long[] nums;
    private final String[] strs;
    private final long sizeInBytes;
    /**
     * The one prefix of every row when all rows also share one integer kind (a record field's blockfile: every key
     * is (record prefix, offset)), else null. Such keys order by {@code nums} alone, so {@link #search} is a
     * binary search of a long array: the string and kind comparisons of each step were 18 % of a query's Java
     * samples under load (80 block lookups per query of 10 records).
     */
    private final String uniformPrefix;
    private final byte uniformKind;
    /**
     * With a uniform prefix, whether the integers run without a gap ({@code nums[i] == nums[0] + i}): a compacted
     * version's record offsets do, so a key's row is its distance from the first, found without the binary search's
     * cache misses (a query's 10 records touch 30 random blocks of the record fields).
     */
    private final boolean dense;

    private KeyColumns(String[] prefixes, byte[] kinds, long[] nums, String[] strs) {
        this.prefixes = prefixes;
        this.kinds = kinds;
        this.nums = nums;
        this.strs = strs;
        long bytes = 64L + 17L * prefixes.length;
        String last = null;
        for (int i = 0; i < prefixes.length; i++) {
            if (prefixes[i] != last) {
                bytes += 40 + prefixes[i].length();
                last = prefixes[i];
            }
            if (strs[i] != null) {
                bytes += 40 + strs[i].length();
            }
        }
        this.sizeInBytes = bytes;
        this.uniformKind = kinds.length == 0 ? 0 : kinds[0];
        this.uniformPrefix = uniformIntegerKeys(prefixes, kinds) ? prefixes[0] : null;
        this.dense = uniformPrefix != null && consecutive(nums);
    }

    /** Whether sorted {@code nums} are consecutive integers (each one more than the one before). */
    private static boolean consecutive(long[] nums) {
        for (int i = 1; i < nums.length; i++) {
            if (nums[i] != nums[i - 1] + 1) {
                return false;
            }
        }
        return true;
    }

    private static boolean uniformIntegerKeys(String[] prefixes, byte[] kinds) {
        if (prefixes.length == 0) {
            return false;
        }
        KeyKind kind = KeyKind.ofTag(kinds[0]);
        if (kind != KeyKind.INT && kind != KeyKind.BOOL) {
            return false;
        }
        for (int i = 1; i < prefixes.length; i++) {
            if (kinds[i] != kinds[0] || !prefixes[i].equals(prefixes[0])) {
                return false;
            }
        }
        return true;
    }

    static KeyColumns of(List<BlockKey> keys) {
        int n = keys.size();
        String[] prefixes = new String[n];
        byte[] kinds = new byte[n];
        long[] nums = new long[n];
        String[] strs = new String[n];
        for (int i = 0; i < n; i++) {
            BlockKey k = keys.get(i);
            prefixes[i] = k.prefix();
            kinds[i] = k.kind().tag();
            nums[i] = k.num();
            strs[i] = k.str();
        }
        return new KeyColumns(prefixes, kinds, nums, strs);
    }

    /** Writes {@code keys} into the key columns of {@code root} (allocated by the caller). */
    static void write(List<BlockKey> keys, VectorSchemaRoot root) {
        VarCharVector prefix = (VarCharVector) root.getVector(PREFIX);
        TinyIntVector kind = (TinyIntVector) root.getVector(KIND);
        BigIntVector ints = (BigIntVector) root.getVector(INT);
        Float8Vector floats = (Float8Vector) root.getVector(FLOAT);
        VarCharVector str = (VarCharVector) root.getVector(STR);
        byte[] lastPrefix = null;
        String lastPrefixString = null;
        for (int i = 0; i < keys.size(); i++) {
            BlockKey k = keys.get(i);
            if (!k.prefix().equals(lastPrefixString)) {
                lastPrefixString = k.prefix();
                lastPrefix = lastPrefixString.getBytes(StandardCharsets.UTF_8);
            }
            prefix.setSafe(i, lastPrefix);
            kind.setSafe(i, k.kind().tag());
            ints.setNull(i);
            floats.setNull(i);
            str.setNull(i);
            switch (k.kind()) {
                case INT, BOOL -> ints.setSafe(i, k.num());
                case FLOAT -> floats.setSafe(i, Double.longBitsToDouble(k.num()));
                case STRING -> str.setSafe(i, k.str().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * Copies the key columns of {@code root} to the heap.
     *
     * @throws IllegalArgumentException when a row's kind is unknown or its key column is null
     */
    static KeyColumns read(VectorSchemaRoot root) {
        VarCharVector prefix = (VarCharVector) root.getVector(PREFIX);
        TinyIntVector kind = (TinyIntVector) root.getVector(KIND);
        BigIntVector ints = (BigIntVector) root.getVector(INT);
        Float8Vector floats = (Float8Vector) root.getVector(FLOAT);
        VarCharVector str = (VarCharVector) root.getVector(STR);
        int n = root.getRowCount();
        String[] prefixes = new String[n];
        byte[] kinds = new byte[n];
        long[] nums = new long[n];
        String[] strs = new String[n];
        byte[] lastPrefix = null;
        for (int i = 0; i < n; i++) {
            byte[] p = prefix.get(i);
            if (i > 0 && Arrays.equals(p, lastPrefix)) {
                prefixes[i] = prefixes[i - 1];
            } else {
                prefixes[i] = new String(p, StandardCharsets.UTF_8);
                lastPrefix = p;
            }
            KeyKind k = KeyKind.ofTag(kind.get(i));
            kinds[i] = k.tag();
            switch (k) {
                case INT, BOOL -> nums[i] = requirePresent(ints.isNull(i), i, INT) ? ints.get(i) : 0;
                case FLOAT -> nums[i] = requirePresent(floats.isNull(i), i, FLOAT)
                        ? Double.doubleToRawLongBits(floats.get(i)) : 0;
                case STRING -> strs[i] = requirePresent(str.isNull(i), i, STR)
                        ? new String(str.get(i), StandardCharsets.UTF_8) : null;
            }
        }
        return new KeyColumns(prefixes, kinds, nums, strs);
    }

    private static boolean requirePresent(boolean isNull, int row, String column) {
        if (isNull) {
            throw new IllegalArgumentException("row " + row + " has no " + column);
        }
        return true;
    }

    int size() {
        return prefixes.length;
    }

    String prefix(int row) {
        return prefixes[row];
    }

    KeyKind kind(int row) {
        return KeyKind.ofTag(kinds[row]);
    }

    BlockKey key(int row) {
        return new BlockKey(prefixes[row], KeyKind.ofTag(kinds[row]), nums[row], strs[row]);
    }

    /** Compares the key at {@code row} with {@code key}. */
    int compareAt(int row, BlockKey key) {
        int c = prefixes[row].compareTo(key.prefix());
        if (c != 0) {
            return c;
        }
        return BlockKey.compareKeyPart(KeyKind.ofTag(kinds[row]), nums[row], strs[row], key.kind(), key.num(), key.str());
    }

    /** Binary search: the row of {@code key}, or {@code -(insertion point) - 1} as {@link Arrays#binarySearch}. */
    int search(BlockKey key) {
        if (uniformPrefix != null && key.kind().tag() == uniformKind && uniformPrefix.equals(key.prefix())) {
            if (dense) {
                long k = key.num();
                if (k < nums[0]) {
                    return -1;
                }
                return k > nums[nums.length - 1] ? -(nums.length + 1) : (int) (k - nums[0]);
            }
            return Arrays.binarySearch(nums, key.num());
        }
        int lo = 0;
        int hi = prefixes.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compareAt(mid, key);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    long sizeInBytes() {
        return sizeInBytes;
    }
}
