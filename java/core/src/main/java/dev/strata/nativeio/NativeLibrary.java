package dev.strata.nativeio;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Collectors;

/**
 * Loads libstrata once per JVM: from {@code -Dstrata.native.library=<path>} when given, otherwise
 * extracted from the classpath into a temp file. The jar of each platform carries it under
 * {@link NativePlatform#resource()} ({@code /native/linux-x86_64/libstrata.so}, {@code
 * /native/linux-aarch64/libstrata.so}); the one of this JVM's {@code os.arch} is loaded.
 */
@SuppressWarnings("restricted") // this package is where Strata is allowed to use restricted FFM methods
public final class NativeLibrary {
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
        String override = System.getProperty(PATH_PROPERTY);
        if (override != null && !override.isBlank()) {
            return SymbolLookup.libraryLookup(Path.of(override), Arena.global());
        }
        Path extracted = extract(NativePlatform.current(), NativeLibrary.class.getClassLoader());
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

    /**
     * Copies the platform's library from the class loader's resources to a temp file. Fails, naming
     * the platform and what to add, when the platform is not one Strata builds for or its jar is not
     * on the classpath.
     */
    static Path extract(NativePlatform platform, ClassLoader loader) {
        if (!platform.isSupported()) {
            throw new UnsupportedOperationException("libstrata has no build for " + platform.id() + "; Strata supports "
                    + NativePlatform.SUPPORTED.stream().map(NativePlatform::id).collect(Collectors.joining(", "))
                    + ". -D" + PATH_PROPERTY + "=<path> loads a libstrata.so built for this machine (native/, CMake).");
        }
        String resource = platform.resource();
        try (InputStream in = loader.getResourceAsStream(resource.substring(1))) {
            if (in == null) {
                throw new IllegalStateException("libstrata for " + platform.id() + " is not on the classpath (no "
                        + resource + "): add the dependency " + platform.artifact(version())
                        + " (groupId:artifactId:version:classifier), or set -D" + PATH_PROPERTY + "=<path to libstrata.so>");
            }
            Path file = Files.createTempFile("libstrata-", ".so");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract libstrata.so to a temp file", e);
        }
    }

    /** Strata's version from the jar manifest; the Maven property's name when run from classes. */
    private static String version() {
        String version = NativeLibrary.class.getPackage().getImplementationVersion();
        return version != null ? version : "${strata.version}";
    }
}
