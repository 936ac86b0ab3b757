/**
 * Query: the where / where_document filter languages (AST, parser, evaluation), the log tail (uncompacted
 * writes applied in memory over a pinned version, exact SIMD k-NN) and the read executor that merges both.
 * May call segment, nativeio and the layers below; must not import dev.strata.api, engine or server.
 */
package dev.strata.query;
