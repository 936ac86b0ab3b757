/**
 * Owns Chroma's v2 HTTP API over the embedded client (dev.strata.api): routing, JSON mapping, token auth, metrics.
 * Holds no data and no semantics of its own: every decision about records is the api layer's.
 * Must not touch the layers below the api (query, segment, storage, ...) nor reimplement validation.
 */
package dev.strata.server;
