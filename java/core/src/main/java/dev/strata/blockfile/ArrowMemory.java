package dev.strata.blockfile;

/** The memory Arrow holds for block encoding and decoding, for the node's memory breakdown. */
public final class ArrowMemory {

    private ArrowMemory() {}

    /**
     * Bytes allocated now by the blockfile layer's Arrow allocator: batches being written or read. Each call
     * closes its allocator before returning, so this is near zero between calls; more means a leak.
     */
    public static long allocatedBytes() {
        return ArrowIpc.allocatedBytes();
    }
}
