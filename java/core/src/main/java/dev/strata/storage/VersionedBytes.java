package dev.strata.storage;

/** An object's content together with the ETag it had when read. */
public record VersionedBytes(byte[] data, String etag) {}
