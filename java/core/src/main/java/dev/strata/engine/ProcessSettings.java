package dev.strata.engine;

import dev.strata.api.InvalidArgumentException;
import dev.strata.api.Settings;
import dev.strata.ivf.ClusteredIndex;
import dev.strata.nativeio.Dispatch;
import dev.strata.nativeio.DistanceKernels;
import dev.strata.nativeio.HnswIndex;
import dev.strata.nativeio.NativeException;
import java.util.Locale;
import java.util.Map;

/**
 * Passes the settings of the whole process (the {@code PROCESS} rows of {@link Settings}: STRATA_DISPATCH,
 * STRATA_INSERT_THREADS, STRATA_IVF_CODES) from the environment to the code that uses them, each time a node
 * opens. They are parsed and checked by the settings table like every other row, so a malformed value fails the
 * open with its name; libstrata reads no environment itself. A setting that is absent changes nothing.
 * Code that uses libstrata without opening a node (benchmarks of the bare index) calls {@link #applyEnvironment}.
 */
public final class ProcessSettings {

    private ProcessSettings() {}

    /** Applies the process's own environment. */
    public static void applyEnvironment() {
        apply(System.getenv());
    }

    static void apply(Map<String, String> environment) {
        String dispatch = Settings.processValue(Settings.DISPATCH, environment);
        Integer insertThreads = Settings.processValue(Settings.INSERT_THREADS, environment);
        if (dispatch != null) {
            try {
                DistanceKernels.useDispatch(Dispatch.valueOf(dispatch.toUpperCase(Locale.ROOT)));
            } catch (NativeException e) {
                throw new InvalidArgumentException("Setting " + Settings.DISPATCH.env() + "=" + dispatch
                        + " cannot be used here: " + e.getMessage());
            }
        }
        if (insertThreads != null) {
            HnswIndex.useInsertThreads(insertThreads);
        }
        if (environment.containsKey(Settings.IVF_CODES.env())) {
            ClusteredIndex.useCodes(Settings.processValue(Settings.IVF_CODES, environment));
        }
    }
}
