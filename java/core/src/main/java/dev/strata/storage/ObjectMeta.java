package dev.strata.storage;

import java.time.Instant;

/** What a HEAD or LIST tells of one object. */
public record ObjectMeta(String key, long size, String etag, Instant lastModified) {}
