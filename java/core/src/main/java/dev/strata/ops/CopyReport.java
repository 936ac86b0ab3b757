package dev.strata.ops;

/**
 * What a backup or restore copied.
 *
 * @param generation     the catalog manifest generation copied
 * @param collections    live collections in it
 * @param versions       kept versions copied
 * @param objectsCopied  objects written to the target (the catalog manifest included)
 * @param bytesCopied    their total size
 * @param objectsSkipped objects the target already had with the same size (objects are immutable)
 * @param catalogCopied  whether the catalog manifest was written (false when the target's was identical)
 */
public record CopyReport(long generation, int collections, int versions, long objectsCopied, long bytesCopied,
                         long objectsSkipped, boolean catalogCopied) {}
