package dev.strata.ops.port;

import java.util.List;

/** A query's answer from a Chroma server: per query embedding, ids and distances nearest first. */
public record RemoteQueryResult(List<List<String>> ids, List<List<Float>> distances) {}
