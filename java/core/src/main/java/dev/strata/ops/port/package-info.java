/**
 * Owns copying collections between Strata and a Chroma server over Chroma's HTTP API v2 (import, export).
 * Talks to the local node only through dev.strata.api; to the peer only over HTTP (java.net.http + Jackson).
 * Must not touch storage, catalog, log or segments directly, nor the HTTP server's classes.
 */
package dev.strata.ops.port;
