package dev.strata.storage;

/**
 * A point-in-time view of the block cache.
 *
 * @param memoryHits    gets answered from memory
 * @param memoryMisses  gets that loaded from disk or the store
 * @param memoryBytes   weight of the decoded values held in memory
 * @param memoryEntries values held in memory
 * @param diskHits      memory misses answered from the disk tier
 * @param diskMisses    memory misses the disk tier did not have (read from the store)
 * @param diskCorrupt   disk files dropped because they failed verification
 * @param diskEvictions disk files evicted to stay within the bound
 * @param diskBytes     bytes of the disk tier's files
 * @param diskEntries   files in the disk tier
 */
public record BlockCacheStats(long memoryHits, long memoryMisses, long memoryBytes, long memoryEntries,
                              long diskHits, long diskMisses, long diskCorrupt, long diskEvictions,
                              long diskBytes, long diskEntries) {}
