/**
 * Reports of finished runs, built from history only ({@link dev.certops.report.RunReports}): JSON,
 * JUnit XML, a Prometheus textfile written atomically, and a self-contained HTML page for auditors
 * ({@link dev.certops.report.ReportFormats}, {@link dev.certops.report.HtmlReport}).
 */
package dev.certops.report;
