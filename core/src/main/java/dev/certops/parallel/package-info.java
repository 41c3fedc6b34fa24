/**
 * Small building blocks for running independent work side by side, bounded: used by the runbook
 * engine for the items of a {@code forEach} step ({@link dev.certops.parallel.BoundedParallel}).
 * Depends on nothing else in certops.
 */
package dev.certops.parallel;
