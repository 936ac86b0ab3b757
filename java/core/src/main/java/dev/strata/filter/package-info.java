/**
 * Filter: the metadata value model (canonical String / Long / Double / Boolean and lists) and the where /
 * where_document languages (AST, parser, evaluation over one record), with the {@link dev.strata.filter.Deadline}
 * that bounds a read's scans. Below segment and query, which both evaluate filters, so neither imports the other
 * for them. Calls no other Strata package.
 */
package dev.strata.filter;
