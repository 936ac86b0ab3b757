/**
 * What Strata asks of the operating system beyond the JDK: the scheduling priority of its threads
 * ({@link dev.strata.platform.ThreadPriority}). The bottom layer: calls no other Strata package, and any
 * package may call it.
 */
package dev.strata.platform;
