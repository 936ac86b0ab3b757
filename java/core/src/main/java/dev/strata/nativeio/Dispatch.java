package dev.strata.nativeio;

/** Which distance-kernel implementation libstrata runs (STRATA_DISPATCH_*). */
public enum Dispatch {
    SCALAR(StrataNative.STRATA_DISPATCH_SCALAR),
    AVX2(StrataNative.STRATA_DISPATCH_AVX2);

    private final int code;

    Dispatch(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    static Dispatch of(int code) {
        return code == StrataNative.STRATA_DISPATCH_AVX2 ? AVX2 : SCALAR;
    }
}
