package dev.strata.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM flags a node needs, checked when it opens so that a missing one fails at once with its name,
 * not at the first compaction minutes later (Arrow's memory module reads direct buffers through
 * {@code java.nio}'s internals).
 */
final class JvmFlags {

    static final String ADD_OPENS = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    private static final Logger LOG = LoggerFactory.getLogger(JvmFlags.class);
    private static volatile boolean warned;

    private JvmFlags() {}

    /** Throws when {@code java.nio} is not open to Strata's module; warns once when native access is not enabled. */
    static void check() {
        Module strata = JvmFlags.class.getModule();
        if (!Object.class.getModule().isOpen("java.nio", strata)) {
            throw new IllegalStateException("Strata needs the JVM flag " + ADD_OPENS + " (Arrow's memory module, used by "
                    + "compaction and vector reads, reaches into java.nio); add it to the java command line, "
                    + "with " + NATIVE_ACCESS + " (see README, \"JVM flags\")");
        }
        if (!strata.isNativeAccessEnabled() && !warned) {
            warned = true;
            LOG.warn("The JVM runs without {}: the native library works, but the JVM prints a warning for it and a "
                    + "future JDK will refuse it; add the flag to the java command line", NATIVE_ACCESS);
        }
    }
}
