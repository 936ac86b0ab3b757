package dev.strata.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted on a test folder, to give the log a disk that fills up or turns read-only
 * without touching the machine's own disks. Needs root (CI and the build machine run as root); a
 * test that gets none is skipped, not failed. Always {@link #close()} it.
 */
final class TmpfsMount implements AutoCloseable {

    private final Path mountPoint;
    private boolean mounted;

    private TmpfsMount(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts a tmpfs of {@code sizeBytes} on {@code mountPoint} (created), or skips the test. */
    static TmpfsMount mountOrSkip(Path mountPoint, long sizeBytes) throws IOException {
        Files.createDirectories(mountPoint);
        TmpfsMount m = new TmpfsMount(mountPoint);
        String failure = run("mount", "-t", "tmpfs", "-o", "size=" + sizeBytes + ",mode=0755", "tmpfs", mountPoint.toString());
        Assumptions.assumeTrue(failure == null, () -> "cannot mount a tmpfs (needs root): " + failure);
        m.mounted = true;
        return m;
    }

    Path path() {
        return mountPoint;
    }

    /** Remounts read-only; fails while a file on it is open for writing (the kernel says busy). */
    void remountReadOnly() {
        check(run("mount", "-o", "remount,ro", mountPoint.toString()), "remount read-only");
    }

    void remountReadWrite() {
        check(run("mount", "-o", "remount,rw", mountPoint.toString()), "remount read-write");
    }

    @Override
    public void close() {
        if (mounted) {
            String failure = run("umount", mountPoint.toString());
            if (failure != null) {
                // Something still holds a file open: detach now, the kernel frees it once closed.
                run("umount", "-l", mountPoint.toString());
            }
            mounted = false;
        }
    }

    private static void check(String failure, String what) {
        if (failure != null) {
            throw new IllegalStateException("cannot " + what + ": " + failure);
        }
    }

    /** Runs a command; null when it succeeded, else what it printed. */
    private static String run(String... command) {
        List<String> cmd = new ArrayList<>(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return String.join(" ", cmd) + " timed out";
            }
            return p.exitValue() == 0 ? null : String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out;
        } catch (IOException e) {
            return String.join(" ", cmd) + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
