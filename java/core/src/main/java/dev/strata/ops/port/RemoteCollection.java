package dev.strata.ops.port;

import java.util.Map;

/**
 * A collection as a Chroma server describes it.
 *
 * @param configuration Chroma's configuration_json (with its "hnsw" block), never null
 * @param metadata      null when the collection has none
 */
public record RemoteCollection(String id, String name, Map<String, Object> metadata, Map<String, Object> configuration) {}
