package dev.strata.archfixture.gc;

/** What a GC run reports: the one GC type every engine class may see. */
public record GcReport(int deleted) {
}
