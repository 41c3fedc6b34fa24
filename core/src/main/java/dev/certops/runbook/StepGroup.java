package dev.certops.runbook;

/**
 * A group of steps as written ({@code - id: .., title: .., forEach: SET, steps: [..]}): its steps run
 * item by item — all of them for the first item of the set, then all for the next.
 */
public record StepGroup(String id, String title, String guide, String forEach) { }
