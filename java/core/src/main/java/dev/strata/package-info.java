/**
 * Strata: a Chroma-compatible vector database for the JVM with durable state in S3 or a local folder.
 * Subpackages are the layers of DESIGN.md; a layer calls only the layers below it.
 */
package dev.strata;
