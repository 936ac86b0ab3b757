package dev.strata.nativeio;

import java.util.List;
import java.util.Locale;

/**
 * A platform libstrata is built for, as the JVM names it ({@code os.name}, {@code os.arch}): where its
 * library sits inside a jar ({@code /native/linux-x86_64/libstrata.so}) and which Maven artifact carries
 * it (the per-platform classifier jar of {@value #ARTIFACT}).
 *
 * @param id the platform as Strata names it: {@code linux-x86_64}, {@code linux-aarch64}
 */
public record NativePlatform(String id) {
    /** The platforms Strata builds libstrata for. */
    public static final List<NativePlatform> SUPPORTED =
            List.of(new NativePlatform("linux-x86_64"), new NativePlatform("linux-aarch64"));
    /** groupId:artifactId of the jars that carry the library, one classifier per platform. */
    public static final String ARTIFACT = "dev.strata:strata-native";

    /** The platform of this JVM. */
    public static NativePlatform current() {
        return of(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /**
     * The platform for a JVM's os.name and os.arch (the JVM says amd64 where Strata says x86_64, and
     * some JVMs say arm64 for aarch64), whether or not Strata supports it: see {@link #isSupported()}.
     */
    public static NativePlatform of(String osName, String osArch) {
        String name = osName.toLowerCase(Locale.ROOT);
        String os = name.startsWith("linux") ? "linux"
                : name.startsWith("mac") || name.startsWith("darwin") ? "macos"
                : name.startsWith("windows") ? "windows"
                : name.replaceAll("[^a-z0-9]+", "");
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x86-64", "x64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> osArch.toLowerCase(Locale.ROOT);
        };
        return new NativePlatform(os + "-" + arch);
    }

    public boolean isSupported() {
        return SUPPORTED.contains(this);
    }

    /** Where the library sits on the classpath (inside the platform's jar). */
    public String resource() {
        return "/native/" + id + "/libstrata.so";
    }

    /** The Maven dependency that carries this platform's library, as groupId:artifactId:version:classifier. */
    public String artifact(String version) {
        return ARTIFACT + ":" + version + ":" + id;
    }
}
