/**
 * Alerts: conditions observed by renew runs, drills and the status check, delivered to channels
 * (webhook, Slack, PagerDuty, email) once per condition, again on escalation or after repeatAfter,
 * resolved when they clear. Every delivery and failure is an event in history.
 */
package dev.certops.alert;
