package dev.strata.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A test class's main in a child JVM (the java of {@code strata.test.java}, this JVM's class path, the native
 * access flags), whose stdout is collected line by line and whose stderr goes to a file. Killed with SIGKILL.
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final Path stderr;
    private final Thread pump;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final CountDownLatch ready = new CountDownLatch(1);

    private ChildJvm(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.pump = Thread.ofPlatform().daemon().name("child-stdout").start(this::pump);
    }

    static ChildJvm start(Class<?> main, Path stderr, List<String> args) {
        List<String> command = new ArrayList<>(List.of(
                System.getProperty("strata.test.java", Path.of(System.getProperty("java.home"), "bin", "java").toString()),
                "--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile())).start();
            return new ChildJvm(p, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void pump() {
        byte[] buffer = new byte[8192];
        try (InputStream in = process.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                    if (ready.getCount() != 0 && out.toString(StandardCharsets.UTF_8).contains(ChildLine.ready())) {
                        ready.countDown();
                    }
                }
            }
        } catch (IOException e) {
            // The child died: what it wrote so far is all there is.
        }
    }

    /** Waits until the child printed READY; false if it did not within the timeout or died first. */
    boolean awaitReady(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            if (ready.await(50, TimeUnit.MILLISECONDS)) {
                return true;
            }
            if (!process.isAlive()) {
                return ready.getCount() == 0;
            }
        }
        return false;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, then waits for the process and for the last of its output. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
        pump.join(10_000);
    }

    /** Waits for a child that exits on its own; its exit code. */
    int waitFor(long timeoutMs) throws InterruptedException {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
            kill();
            throw new IllegalStateException("child did not finish within " + timeoutMs + " ms: " + stderrTail());
        }
        pump.join(10_000);
        return process.exitValue();
    }

    /** The child's whole lines (a line the kill cut short is dropped), parsed; lines that are not ours skipped. */
    List<ChildLine> lines() {
        String text;
        synchronized (out) {
            text = out.toString(StandardCharsets.UTF_8);
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
