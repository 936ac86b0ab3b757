/**
 * LangChain4j binding: {@link dev.strata.langchain4j.StrataEmbeddingStore}, a LangChain4j
 * {@code EmbeddingStore<TextSegment>} over one collection of an embedded Strata (dev.strata.api only), and
 * {@link dev.strata.langchain4j.FilterToWhere}, which translates LangChain4j's metadata filters to Strata's
 * {@code Where}. Nothing here reaches below the public embedded API.
 */
package dev.strata.langchain4j;
