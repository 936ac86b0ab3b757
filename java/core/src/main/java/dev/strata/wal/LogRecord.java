package dev.strata.wal;

/** One appended batch: its sequence number in the collection's log and the opaque payload. */
public record LogRecord(long seq, byte[] payload) {}
