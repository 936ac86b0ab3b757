/**
 * Segment: how a collection's records are laid out; here the log batch (types, binary codec) and the
 * materializer that folds log batches into per-record changes. Pure data and logic: no I/O here, and
 * no import of dev.strata.api, query, server or any layer above.
 */
package dev.strata.segment;
