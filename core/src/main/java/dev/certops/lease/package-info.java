/**
 * Team mode's coordination: {@link dev.certops.lease.LeaseService} leases on what changes the world
 * (one console at a time per certificate; refusals name the holder; expiry when a holder dies; breaking
 * by hand with a recorded reason) and {@link dev.certops.lease.Presence} (which consoles are connected
 * and what they hold). Both live in the history database, PostgreSQL or SQLite, and write history events.
 */
package dev.certops.lease;
