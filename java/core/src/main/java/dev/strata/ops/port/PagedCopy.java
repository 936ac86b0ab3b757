package dev.strata.ops.port;

import dev.strata.api.GetResult;
import dev.strata.api.RecordSet;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/** The copy loop import and export share: read a page at an offset, write it as one batch, report progress. */
final class PagedCopy {

    private final int pageSize;
    private final PortProgress progress;

    PagedCopy(int pageSize, PortProgress progress) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be at least 1, got " + pageSize);
        }
        this.pageSize = pageSize;
        this.progress = progress;
    }

    /** The same copy with pages of at most {@code maxPageSize} records (a server's max_batch_size). */
    PagedCopy atMost(int maxPageSize) {
        return new PagedCopy(Math.min(pageSize, maxPageSize), progress);
    }

    int pageSize() {
        return pageSize;
    }

    /**
     * Copies pages until a short one; pages are read by offset, which is stable because nothing else writes the
     * source meanwhile (a stopped node, or a server the operator is migrating from).
     *
     * @param readPage reads {@link #pageSize()} records from the offset it is given
     * @return the records read
     */
    long run(String collection, long total, IntFunction<GetResult> readPage, Consumer<RecordSet> write) {
        progress.start(collection, total);
        long read = 0;
        try {
            while (true) {
                GetResult page = readPage.apply(Math.toIntExact(read));
                if (page.size() > 0) {
                    write.accept(new RecordSet(page.ids(), page.embeddings(), page.documents(), page.metadatas(),
                            page.uris()));
                    read += page.size();
                    progress.advance(page.size());
                }
                if (page.size() < pageSize) {
                    return read;
                }
            }
        } finally {
            progress.finish();
        }
    }
}
