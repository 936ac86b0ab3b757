package dev.strata.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the kernel says is resident in this process, from {@code /proc/self/smaps} (Linux): the total, and the parts
 * that a mapping's kind tells apart.
 *
 * @param rssBytes         resident bytes of every mapping (the process's RSS)
 * @param fileBytes        resident bytes of file-backed mappings: the JDK's and native libraries' code, the class
 *                         data sharing and AOT archive, memory-mapped files and shared memory
 * @param threadStackBytes resident bytes of thread stacks: the main thread's {@code [stack]}, and each anonymous
 *                         read-write mapping that starts right after a small inaccessible one (the guard pages the
 *                         JVM and glibc put below every thread's stack). A heuristic: an anonymous mapping that
 *                         happens to follow a small guard-like hole is counted too
 * @param mallocArenaBytes resident bytes of glibc malloc's arenas: the {@code [heap]} (the main arena) and each
 *                         anonymous mapping that starts on a 64 MiB boundary and, with the inaccessible mapping
 *                         after it, spans 64 MiB (glibc's other arenas). Chunks large enough to be mmapped on their
 *                         own are not in it
 */
record ResidentMemory(long rssBytes, long fileBytes, long threadStackBytes, long mallocArenaBytes) {

    static final Path SMAPS = Path.of("/proc/self/smaps");

    /** Largest guard below a stack: HotSpot's red, yellow and reserved zones (16 KiB on x64) or glibc's page. */
    private static final long MAX_GUARD_BYTES = 64 * 1024;
    /** glibc's HEAP_MAX_SIZE on 64-bit: each arena other than the main one is one such aligned reservation. */
    private static final long ARENA_HEAP_BYTES = 64L * 1024 * 1024;

    /**
     * Whether {@link #read} can find anything here, without reading it: a process's smaps lists every mapping, and
     * reading it takes milliseconds (tens the first time).
     */
    static boolean readable() {
        return Files.isReadable(SMAPS);
    }

    /** This process now; empty where there is no {@code /proc/self/smaps} (not Linux) or it cannot be read. */
    static Optional<ResidentMemory> read() {
        if (!readable()) {
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
        List<Mapping> mappings = new ArrayList<>();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            Mapping header = Mapping.parse(line);
            if (header != null) {
                mappings.add(header);
            } else if (!mappings.isEmpty() && line.startsWith("Rss:")) {
                mappings.getLast().rssBytes = kilobytes(line) * 1024;
            }
        }
        long rss = 0;
        long files = 0;
        long stacks = 0;
        long arenas = 0;
        for (int i = 0; i < mappings.size(); i++) {
            Mapping m = mappings.get(i);
            rss += m.rssBytes;
            if (m.fileBacked()) {
                files += m.rssBytes;
            } else if (m.isStackAbove(i == 0 ? null : mappings.get(i - 1))) {
                stacks += m.rssBytes;
            } else if (m.isArena(i + 1 < mappings.size() ? mappings.get(i + 1) : null)) {
                arenas += m.rssBytes;
            }
        }
        return new ResidentMemory(rss, files, stacks, arenas);
    }

    private static long kilobytes(String line) {
        String[] words = line.trim().split("\\s+");
        return Long.parseLong(words[1]);
    }

    /** One mapping: its smaps header ({@code start-end perms offset dev inode [path]}) and its Rss field. */
    private static final class Mapping {
        final long start;
        final long end;
        final String perms;
        final long inode;
        final String path;
        long rssBytes;

        private Mapping(long start, long end, String perms, long inode, String path) {
            this.start = start;
            this.end = end;
            this.perms = perms;
            this.inode = inode;
            this.path = path;
        }

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

        private boolean anonymousReadWrite() {
            return perms.startsWith("rw") && path.isEmpty() && inode == 0;
        }

        private boolean inaccessible() {
            return perms.startsWith("---") && path.isEmpty() && inode == 0;
        }

        /** The main thread's stack, or a read-write anonymous mapping just above a guard (inaccessible) mapping. */
        boolean isStackAbove(Mapping below) {
            if (path.equals("[stack]")) {
                return true;
            }
            return anonymousReadWrite() && below != null && below.end == start && below.inaccessible()
                    && below.end - below.start <= MAX_GUARD_BYTES;
        }

        /** The main arena ({@code [heap]}), or another arena's heap: aligned, and with its reserve 64 MiB long. */
        boolean isArena(Mapping above) {
            if (path.equals("[heap]")) {
                return true;
            }
            if (!anonymousReadWrite() || Long.remainderUnsigned(start, ARENA_HEAP_BYTES) != 0) {
                return false;
            }
            if (end - start == ARENA_HEAP_BYTES) {
                return true;
            }
            return above != null && above.start == end && above.inaccessible() && above.end - start == ARENA_HEAP_BYTES;
        }
    }
}
