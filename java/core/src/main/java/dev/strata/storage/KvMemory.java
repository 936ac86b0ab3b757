package dev.strata.storage;

/**
 * The memory of the node's local key-value store (RocksDB), as RocksDB itself counts it.
 *
 * @param memtablesBytes    memtables of every column family, active and not yet flushed
 *                          ({@code rocksdb.cur-size-all-mem-tables})
 * @param blockCacheBytes   blocks in the block cache, shared by the column families ({@code rocksdb.block-cache-usage})
 * @param tableReadersBytes index and filter blocks of open table files kept outside the block cache
 *                          ({@code rocksdb.estimate-table-readers-mem})
 */
public record KvMemory(long memtablesBytes, long blockCacheBytes, long tableReadersBytes) {

    public long totalBytes() {
        return memtablesBytes + blockCacheBytes + tableReadersBytes;
    }
}
