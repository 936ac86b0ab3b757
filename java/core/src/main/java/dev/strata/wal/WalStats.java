package dev.strata.wal;

/**
 * A point-in-time view of the log.
 *
 * @param collections collections that have a log
 * @param localSegments segment files on local disk (open and sealed)
 * @param localBytes bytes in those files
 * @param segmentsAwaitingUpload local segments not yet in the object store
 * @param unsyncedBytes bytes of records not yet in the object store (what losing the local disk loses)
 * @param appends records appended since open
 * @param fsyncs fsyncs of segment files since open (fewer than appends when group commit shares them)
 * @param uploads segment objects put in the object store since open
 */
public record WalStats(int collections, int localSegments, long localBytes, int segmentsAwaitingUpload,
                       long unsyncedBytes, long appends, long fsyncs, long uploads) {}
