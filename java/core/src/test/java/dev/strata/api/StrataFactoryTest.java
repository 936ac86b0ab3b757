package dev.strata.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strata.open reaches the engine only through the StrataFactory service, and says so when there is none. */
class StrataFactoryTest {

    @TempDir
    Path dir;

    @Test
    void withoutAnEngineDeclaredOpenFailsWithAMessageThatSaysWhy() throws Exception {
        try (URLClassLoader withoutEngine = new HidingServices(classPath())) {
            Class<?> strata = withoutEngine.loadClass(Strata.class.getName());
            assertThat(strata.getClassLoader()).isSameAs(withoutEngine);
            Throwable thrown = null;
            try {
                strata.getMethod("open", Path.class).invoke(null, dir.resolve("node"));
            } catch (InvocationTargetException e) {
                thrown = e.getCause();
            }
            assertThat(thrown).isNotNull();
            assertThat(thrown.getClass().getName()).isEqualTo(InternalException.class.getName());
            assertThat(thrown.getMessage()).contains("No Strata engine on the class path")
                    .contains("META-INF/services/" + StrataFactory.class.getName());
            assertThat(dir.resolve("node")).doesNotExist();
        }
    }

    private static URL[] classPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).map(p -> {
            try {
                return Path.of(p).toUri().toURL();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toArray(URL[]::new);
    }

    /** The test's class path in a loader of its own, where no StrataFactory is declared. */
    private static final class HidingServices extends URLClassLoader {
        HidingServices(URL[] urls) {
            super(urls, ClassLoader.getPlatformClassLoader());
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return name.startsWith("META-INF/services/") ? Collections.emptyEnumeration() : super.getResources(name);
        }
    }
}
