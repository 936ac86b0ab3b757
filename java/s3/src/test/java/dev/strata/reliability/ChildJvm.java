package dev.strata.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test class's main in a child JVM (the java of {@code strata.test.java}, this JVM's class path, the native
 * access flags), whose stdout and stderr go to files. Killed with SIGKILL, or stopped with SIGTERM.
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ChildJvm(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts the child with its stdout going straight to a file, not a pipe: what the child wrote before a
     * SIGKILL is in the file whatever the parent was doing, with no reader thread to race the process's exit.
     */
    static ChildJvm start(Class<?> main, Path stdout, Path stderr, List<String> args) {
        return start(main, stdout, stderr, args, java.util.Map.of());
    }

    /** As {@link #start(Class, Path, Path, List)}, with these variables added to the child's environment. */
    static ChildJvm start(Class<?> main, Path stdout, Path stderr, List<String> args, java.util.Map<String, String> env) {
        List<String> command = new ArrayList<>(List.of(
                System.getProperty("strata.test.java", Path.of(System.getProperty("java.home"), "bin", "java").toString()),
                "--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(stdout.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
            builder.environment().putAll(env);
            Process p = builder.start();
            return new ChildJvm(p, stdout, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the child printed READY; false if it did not within the timeout or died first. */
    boolean awaitReady(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            if (lines().stream().anyMatch(l -> l.kind().equals("READY"))) {
                return true;
            }
            if (!process.isAlive()) {
                return false;
            }
            Thread.sleep(20);
        }
        return false;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, then waits for the process. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM: the child runs its shutdown hooks and exits on its own (see {@link #waitFor}). */
    void terminate() {
        process.destroy();
    }

    /** The child's whole stdout so far. */
    String stdoutText() {
        try {
            return Files.exists(stdout) ? Files.readString(stdout, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a child that exits on its own; its exit code. */
    int waitFor(long timeoutMs) throws InterruptedException {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
            kill();
            throw new IllegalStateException("child did not finish within " + timeoutMs + " ms: " + stderrTail());
        }
        return process.exitValue();
    }

    /** The child's whole lines (a line the kill cut short is dropped), parsed; lines that are not ours skipped. */
    List<ChildLine> lines() {
        String text;
        try {
            text = Files.exists(stdout) ? Files.readString(stdout, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int end = text.lastIndexOf('\n');
        List<ChildLine> lines = new ArrayList<>();
        for (String line : text.substring(0, end + 1).split("\n")) {
            ChildLine parsed = ChildLine.parse(line);
            if (parsed != null) {
                lines.add(parsed);
            }
        }
        return lines;
    }

    String stderrTail() {
        try {
            String s = Files.exists(stderr) ? Files.readString(stderr) : "";
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
