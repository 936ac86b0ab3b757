package dev.strata.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Which library the loader picks for a JVM's os.name/os.arch, and what it says when there is none. */
class NativeLibraryTest {

    @Test
    void theJvmsArchNamesMapToStrataPlatforms() {
        assertThat(NativePlatform.of("Linux", "amd64").id()).isEqualTo("linux-x86_64");
        assertThat(NativePlatform.of("Linux", "x86_64").id()).isEqualTo("linux-x86_64");
        assertThat(NativePlatform.of("Linux", "aarch64").id()).isEqualTo("linux-aarch64");
        assertThat(NativePlatform.of("Linux", "arm64").id()).isEqualTo("linux-aarch64");
        assertThat(NativePlatform.of("Mac OS X", "aarch64").id()).isEqualTo("macos-aarch64");
        assertThat(NativePlatform.of("Linux", "aarch64").resource()).isEqualTo("/native/linux-aarch64/libstrata.so");
        assertThat(NativePlatform.of("Linux", "riscv64").isSupported()).isFalse();
        assertThat(NativePlatform.of("Mac OS X", "aarch64").isSupported()).isFalse();
        assertThat(NativePlatform.of("Linux", "amd64").isSupported()).isTrue();
    }

    @Test
    void anArchStrataDoesNotBuildForIsNamedWithTheSupportedOnes() {
        assertThatThrownBy(() -> NativeLibrary.extract(NativePlatform.of("Linux", "riscv64"), getClass().getClassLoader()))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("no build for linux-riscv64")
                .hasMessageContaining("linux-x86_64, linux-aarch64")
                .hasMessageContaining("-Dstrata.native.library=");
    }

    @Test
    void aMissingPlatformJarIsNamedAsTheDependencyToAdd() throws IOException {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            for (String arch : new String[] {"aarch64", "amd64"}) {
                NativePlatform platform = NativePlatform.of("Linux", arch);
                assertThatThrownBy(() -> NativeLibrary.extract(platform, empty))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("libstrata for " + platform.id() + " is not on the classpath")
                        .hasMessageContaining(platform.resource())
                        .hasMessageContaining("add the dependency dev.strata:strata-native:")
                        .hasMessageContaining(":" + platform.id() + " (groupId:artifactId:version:classifier)");
            }
        }
    }

    @Test
    void thisJvmsLibraryIsExtractedFromItsPlatformFolder() throws IOException {
        NativePlatform platform = NativePlatform.current();
        assertThat(platform.isSupported()).as(platform.id()).isTrue();
        Path file = NativeLibrary.extract(platform, getClass().getClassLoader());
        try {
            byte[] head = Arrays.copyOf(Files.readAllBytes(file), 4);
            assertThat(head).as("ELF magic").containsExactly(0x7f, 'E', 'L', 'F');
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
