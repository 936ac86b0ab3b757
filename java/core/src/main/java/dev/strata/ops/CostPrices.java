package dev.strata.ops;

/**
 * Object-store list prices a cost estimate uses, in dollars. The defaults are S3 Standard's (us-east-1), as the
 * project's goals quote them: PUT, COPY, POST and LIST $0.005 per 1,000; GET and HEAD $0.0004 per 1,000; DELETE
 * free; storage $0.023 per GB-month (a GB being 2^30 bytes, as AWS bills it).
 *
 * @param putPer1000        PUT, conditional PUT, multipart steps and LIST, per 1,000 requests
 * @param getPer1000        GET, ranged GET and HEAD, per 1,000 requests
 * @param storagePerGbMonth per GB stored for a month
 */
public record CostPrices(double putPer1000, double getPer1000, double storagePerGbMonth) {

    public static final double DEFAULT_PUT_PER_1000 = 0.005;
    public static final double DEFAULT_GET_PER_1000 = 0.0004;
    public static final double DEFAULT_STORAGE_PER_GB_MONTH = 0.023;

    public CostPrices {
        if (putPer1000 < 0 || getPer1000 < 0 || storagePerGbMonth < 0) {
            throw new IllegalArgumentException("prices must be >= 0");
        }
    }

    public static CostPrices defaults() {
        return new CostPrices(DEFAULT_PUT_PER_1000, DEFAULT_GET_PER_1000, DEFAULT_STORAGE_PER_GB_MONTH);
    }

    /** The price of 1,000 requests of {@code op} (the {@code op} label of strata_object_store_requests_total). */
    public double per1000(String op) {
        return switch (op) {
            case "get", "get_range", "head" -> getPer1000;
            case "delete" -> 0;
            default -> putPer1000; // put, put_conditional, list; an op unknown here is priced as the dearer class
        };
    }
}
