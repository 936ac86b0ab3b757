package dev.strata.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the kernel says is resident in this process, from {@code /proc/self/smaps} (Linux): the total, the part
 * backed by files, and the part in thread stacks.
 *
 * @param rssBytes          resident bytes of every mapping (the process's RSS)
 * @param fileBytes         resident bytes of file-backed mappings: the JDK's and native libraries' code, the class
 *                          data sharing and AOT archive, memory-mapped files and shared memory
 * @param threadStackBytes  resident bytes of thread stacks: the main thread's {@code [stack]}, and each anonymous
 *                          read-write mapping that starts right after a small inaccessible one (the guard pages
 *                          the JVM and glibc put below every thread's stack). A heuristic: an anonymous mapping
 *                          that happens to follow a small guard-like hole is counted too
 */
record ResidentMemory(long rssBytes, long fileBytes, long threadStackBytes) {

    static final Path SMAPS = Path.of("/proc/self/smaps");

    /** Largest guard below a stack: HotSpot's red, yellow and reserved zones (16 KiB on x64) or glibc's page. */
    private static final long MAX_GUARD_BYTES = 64 * 1024;

    /** This process now; empty where there is no {@code /proc/self/smaps} (not Linux) or it cannot be read. */
    static Optional<ResidentMemory> read() {
        if (!Files.isReadable(SMAPS)) {
            return Optional.empty();
        }
        try (BufferedReader in = Files.newBufferedReader(SMAPS)) {
            return Optional.of(parse(in));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Sums an smaps listing (one header line per mapping, then its fields). */
    static ResidentMemory parse(BufferedReader in) throws IOException {
        long rss = 0;
        long files = 0;
        long stacks = 0;
        Mapping previous = null;
        Mapping current = null;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            Mapping header = Mapping.parse(line);
            if (header != null) {
                previous = current;
                current = header;
                continue;
            }
            if (current == null || !line.startsWith("Rss:")) {
                continue;
            }
            long bytes = kilobytes(line) * 1024;
            rss += bytes;
            if (current.fileBacked()) {
                files += bytes;
            } else if (current.isStackBelow(previous)) {
                stacks += bytes;
            }
        }
        return new ResidentMemory(rss, files, stacks);
    }

    private static long kilobytes(String line) {
        String[] words = line.trim().split("\\s+");
        return Long.parseLong(words[1]);
    }

    /** One smaps header: {@code start-end perms offset dev inode [path]}. */
    private record Mapping(long start, long end, String perms, long inode, String path) {

        /** The mapping a header line names; null for a field line ("Rss:   88 kB", "VmFlags: rd wr"). */
        static Mapping parse(String line) {
            int dash = line.indexOf('-');
            int space = line.indexOf(' ');
            if (dash <= 0 || space < dash || !isHex(line.substring(0, dash)) || !isHex(line.substring(dash + 1, space))) {
                return null;
            }
            String[] words = line.split("\\s+", 6);
            if (words.length < 5) {
                return null;
            }
            return new Mapping(Long.parseUnsignedLong(words[0].substring(0, dash), 16),
                    Long.parseUnsignedLong(words[0].substring(dash + 1), 16), words[1], Long.parseLong(words[4]),
                    words.length > 5 ? words[5].trim() : "");
        }

        private static boolean isHex(String s) {
            if (s.isEmpty()) {
                return false;
            }
            for (int i = 0; i < s.length(); i++) {
                if (Character.digit(s.charAt(i), 16) < 0) {
                    return false;
                }
            }
            return true;
        }

        boolean fileBacked() {
            return inode != 0;
        }

        /** The main thread's stack, or a read-write anonymous mapping just above a guard (inaccessible) mapping. */
        boolean isStackBelow(Mapping previous) {
            if (path.equals("[stack]")) {
                return true;
            }
            return perms.startsWith("rw") && path.isEmpty() && previous != null && previous.end == start
                    && previous.perms.startsWith("---") && previous.end - previous.start <= MAX_GUARD_BYTES;
        }
    }
}
