/**
 * Spring AI binding: {@link dev.strata.springai.StrataVectorStore}, a Spring AI {@code VectorStore} over one
 * collection of an embedded Strata (dev.strata.api only); {@link dev.strata.springai.ExpressionToWhere}, which
 * translates Spring AI's portable filter expressions to Strata's {@code Where}; and the Spring Boot
 * auto-configuration that opens Strata and the store from {@code strata.*} properties.
 */
package dev.strata.springai;
