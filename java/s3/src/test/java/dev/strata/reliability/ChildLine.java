package dev.strata.reliability;

import java.util.Arrays;
import java.util.List;

/**
 * The child's stdout protocol, one line per event, each starting with {@code @@} so log lines mixed in are
 * ignored:
 * <pre>
 * @@ READY
 * @@ I writer op version id,id,...   intent: printed before the call
 * @@ A writer op version hash        acknowledged: printed after the call returned
 * @@ E writer message                the call threw: its outcome is unknown, the writer stopped
 * @@ BAD message                     a reader saw a record that is not whole
 * </pre>
 */
record ChildLine(String kind, int writer, CrashChild.Op op, long version, List<String> ids, int hash, String text) {

    private static final String PREFIX = "@@ ";

    static String ready() {
        return PREFIX + "READY";
    }

    static String intent(int writer, CrashChild.Op op, long version, List<String> ids) {
        return PREFIX + "I " + writer + " " + op + " " + version + " " + String.join(",", ids);
    }

    static String ack(int writer, CrashChild.Op op, long version, int hash) {
        return PREFIX + "A " + writer + " " + op + " " + version + " " + hash;
    }

    static String error(int writer, String message) {
        return PREFIX + "E " + writer + " " + message.replace('\n', ' ');
    }

    static String bad(String message) {
        return PREFIX + "BAD " + message.replace('\n', ' ');
    }

    /** The event a line carries, or null for a line that is not ours or was cut short by the kill. */
    static ChildLine parse(String line) {
        if (!line.startsWith(PREFIX)) {
            return null;
        }
        String[] f = line.substring(PREFIX.length()).split(" ", 5);
        try {
            return switch (f[0]) {
                case "READY" -> new ChildLine("READY", -1, null, -1, List.of(), 0, null);
                case "I" -> f.length == 5
                        ? new ChildLine("I", Integer.parseInt(f[1]), CrashChild.Op.valueOf(f[2]), Long.parseLong(f[3]),
                                Arrays.asList(f[4].split(",")), 0, null)
                        : null;
                case "A" -> f.length == 5
                        ? new ChildLine("A", Integer.parseInt(f[1]), CrashChild.Op.valueOf(f[2]), Long.parseLong(f[3]),
                                List.of(), Integer.parseInt(f[4]), null)
                        : null;
                case "E" -> new ChildLine("E", Integer.parseInt(f[1]), null, -1, List.of(), 0,
                        line.substring(PREFIX.length()));
                case "BAD" -> new ChildLine("BAD", -1, null, -1, List.of(), 0, line.substring(PREFIX.length()));
                default -> null;
            };
        } catch (RuntimeException e) {
            return null;
        }
    }
}
