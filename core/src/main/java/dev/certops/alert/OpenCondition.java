package dev.certops.alert;

import java.time.Instant;

/**
 * A condition last triggered on a channel and not resolved since, as history tells it.
 *
 * @param lastSent when the last trigger was delivered (the repeatAfter clock)
 */
public record OpenCondition(String channel, String key, ConditionKind kind, String subject, Severity severity,
                            String summary, Instant lastSent) { }
