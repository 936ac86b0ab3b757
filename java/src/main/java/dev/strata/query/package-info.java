/**
 * Query: the where / where_document filter languages (AST, parser, evaluation on one record), and
 * later filter planning and k-NN over index and log tail. May call segment and the layers below it;
 * must not import dev.strata.api or dev.strata.server.
 */
package dev.strata.query;
