package dev.strata.nativeio;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Loads libstrata once per JVM: from {@code -Dstrata.native.library=<path>} when given, otherwise
 * extracted from the classpath (the jar carries it under {@value #RESOURCE}) into a temp file.
 */
@SuppressWarnings("restricted") // this package is where Strata is allowed to use restricted FFM methods
public final class NativeLibrary {
    /** Where the build puts the library inside the jar. */
    public static final String RESOURCE = "/native/linux-x86_64/libstrata.so";
    /** System property naming a libstrata.so to load instead of the bundled one. */
    public static final String PATH_PROPERTY = "strata.native.library";

    private static SymbolLookup lookup;

    private NativeLibrary() {}

    /** The symbols of the loaded library, loading it on first use. */
    public static synchronized SymbolLookup lookup() {
        if (lookup == null) {
            lookup = load();
        }
        return lookup;
    }

    private static SymbolLookup load() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new UnsupportedOperationException("libstrata is built for linux-x86_64 only, this JVM runs on " + os + "/" + arch);
        }
        String override = System.getProperty(PATH_PROPERTY);
        if (override != null && !override.isBlank()) {
            return SymbolLookup.libraryLookup(Path.of(override), Arena.global());
        }
        Path extracted = extract();
        try {
            return SymbolLookup.libraryLookup(extracted, Arena.global());
        } finally {
            // The loader keeps its own mapping: the file is not needed once dlopen returned.
            try {
                Files.deleteIfExists(extracted);
            } catch (IOException ignored) {
                extracted.toFile().deleteOnExit();
            }
        }
    }

    private static Path extract() {
        try (InputStream in = NativeLibrary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("libstrata.so is not on the classpath at " + RESOURCE
                        + " (build the java module with Maven, which runs CMake, or set -D" + PATH_PROPERTY + ")");
            }
            Path file = Files.createTempFile("libstrata-", ".so");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract libstrata.so to a temp file", e);
        }
    }
}
