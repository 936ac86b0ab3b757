package dev.strata.archfixture.unlayered;

/** Breaks the rule on purpose: a package given no layer (a new package must be placed in LayerRules). */
public final class NewPackageClass {
}
