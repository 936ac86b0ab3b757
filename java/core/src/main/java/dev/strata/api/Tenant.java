package dev.strata.api;

/** A tenant: the top of the naming hierarchy (tenant / database / collection). */
public record Tenant(String name) {}
