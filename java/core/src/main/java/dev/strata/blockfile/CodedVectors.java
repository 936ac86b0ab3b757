package dev.strata.blockfile;

import java.lang.foreign.MemorySegment;

/** A decoded block's vectors and their byte codes, each contiguous in the block's memory. */
interface CodedVectors {

    FloatVectorValueType.FloatVectorColumn floats();

    /** Row {@code i}'s code at byte {@code i * dimension}. */
    MemorySegment codes();
}
