package dev.strata.api;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * A read-only list view of a float array: a query's distances reach the caller without a boxed Float per
 * element kept alive (an element is boxed only when read).
 */
final class FloatList extends AbstractList<Float> implements RandomAccess {

    private final float[] values;

    FloatList(float[] values) {
        this.values = values;
    }

    @Override
    public Float get(int index) {
        return values[index];
    }

    @Override
    public int size() {
        return values.length;
    }
}
