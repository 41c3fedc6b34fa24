/**
 * The one place that formats for people: durations ("3 d 4 h", "41 s"), instants (local time to the
 * second; UTC ISO in JSON), lists and counts with plurals ({@link dev.certops.words.Words}), failures as
 * causes in words, never a class name ({@link dev.certops.words.Causes}), and table columns that size to
 * their content or end in an ellipsis ({@link dev.certops.words.TextTable}). The CLI, reports, alerts
 * and the console use it; it depends on nothing else in certops.
 */
package dev.certops.words;
