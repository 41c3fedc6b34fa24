/**
 * History: the append-only, hash-chained audit trail. {@link dev.certops.history.HistoryStore} is the
 * port; {@link dev.certops.history.SqliteHistoryStore} the default implementation (its javadoc holds
 * the hash format an auditor needs); {@link dev.certops.history.Migrations} versions the schema per
 * dialect; {@link dev.certops.history.AuditExport} writes CSV and JSON for audits. Secrets are refused
 * before anything is written. Team mode: {@link dev.certops.history.PostgresHistoryStore} (same chain,
 * many writers), {@link dev.certops.history.HistoryStores} chooses by certops.yaml,
 * {@link dev.certops.history.EventFeed} delivers other consoles' events live, and
 * {@link dev.certops.history.HistoryMigration} copies a chain between databases intact.
 */
package dev.certops.history;
