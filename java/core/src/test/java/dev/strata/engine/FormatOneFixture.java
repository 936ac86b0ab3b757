package dev.strata.engine;

import java.util.Random;

/** The vectors of the format-1 fixture bucket (test resources fixtures/format1-node), by record number. */
final class FormatOneFixture {
    static final int DIMENSION = 16;

    static float[] vector(int n) {
        Random r = new Random(n * 31L + 5);
        float[] v = new float[DIMENSION];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return v;
    }

    private FormatOneFixture() {}
}
