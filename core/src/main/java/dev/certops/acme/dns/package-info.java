/**
 * DNS for ACME: DNS-01 providers ({@link dev.certops.acme.dns.DnsProviders#build}), waiting for a
 * TXT record to be visible ({@link dev.certops.acme.dns.PropagationChecker}), and the CAA check
 * ({@link dev.certops.acme.dns.CaaChecker}). All lookups go through dnsjava and the workspace's
 * {@link dev.certops.acme.dns.Resolvers}.
 */
package dev.certops.acme.dns;
