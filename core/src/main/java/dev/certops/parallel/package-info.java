/**
 * Small building blocks for running independent work side by side, bounded: {@link BoundedParallel}
 * starts items in list order (the runbook engine's {@code forEach} items: its log and history stay in item
 * order); {@link Batch} is fair between keys (commands over many certificates: one CA's slow orders hold
 * only their share of the slots).
 * Depends on nothing else in certops.
 */
package dev.certops.parallel;
