/**
 * What Strata asks of the operating system beyond the JDK: the scheduling priority of its threads
 * ({@link dev.strata.platform.ThreadPriority}) and memory mapped straight from the kernel, returned to it when
 * freed ({@link dev.strata.platform.Pages}). The bottom layer: calls no other Strata package, and any
 * package may call it.
 */
package dev.strata.platform;
