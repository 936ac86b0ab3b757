package dev.strata.storage;

import java.nio.file.Path;

/**
 * Sizes of the block cache tiers.
 *
 * @param memoryBytes bound on the decoded values kept in memory (their {@link Cacheable#sizeInBytes()})
 * @param diskDir     folder of the disk tier (usually {@code {path}/cache}), or null for no disk tier
 * @param diskBytes   bound on the bytes of the disk tier's files; ignored without {@code diskDir}
 */
public record BlockCacheOptions(long memoryBytes, Path diskDir, long diskBytes) {

    public static final long DEFAULT_MEMORY_BYTES = 256L * 1024 * 1024;
    public static final long DEFAULT_DISK_BYTES = 4L * 1024 * 1024 * 1024;

    public BlockCacheOptions {
        if (memoryBytes < 0) {
            throw new IllegalArgumentException("memoryBytes must be >= 0, got " + memoryBytes);
        }
        if (diskDir != null && diskBytes <= 0) {
            throw new IllegalArgumentException("diskBytes must be > 0 when a disk tier folder is given, got " + diskBytes);
        }
    }

    /** A memory tier of {@code memoryBytes} and no disk tier. */
    public static BlockCacheOptions memoryOnly(long memoryBytes) {
        return new BlockCacheOptions(memoryBytes, null, 0);
    }

    /** 256 MiB of memory, no disk tier. */
    public static BlockCacheOptions defaults() {
        return memoryOnly(DEFAULT_MEMORY_BYTES);
    }

    /** These options plus a disk tier of {@code bytes} in {@code dir}. */
    public BlockCacheOptions withDisk(Path dir, long bytes) {
        return new BlockCacheOptions(memoryBytes, dir, bytes);
    }
}
