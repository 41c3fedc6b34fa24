/**
 * ACME issuance and revocation on acme4j — the only package that touches acme4j (an ArchUnit rule
 * holds it to that; {@code acme.dns} does not either).
 *
 * <p>Entry points: {@link dev.certops.acme.IssuanceService} ({@code issue}, {@code revoke},
 * {@code withHttp01Responder}), {@link dev.certops.acme.CertificateVersions} (stored versions, read
 * by deploy, estate and renew), {@link dev.certops.acme.RenewalInformation} (ARI window and id),
 * {@link dev.certops.acme.Http01Responder} (in-process HTTP-01). Progress goes to an
 * {@link dev.certops.acme.IssuanceListener}; the library never prints.
 *
 * <p>Protocol concepts are small types: {@code CaEndpoint} (a CA entry, production or staging),
 * {@code Accounts} (one account per endpoint, re-bound by URL), {@code PendingOrders} (the order
 * being worked on, written before finalizing so an interrupted issuance re-attaches),
 * {@code OrderOptions} (profile and ARI {@code replaces}, fitted to what the CA offers),
 * {@code CertificateKeys} (fresh or reused key), {@code AuthorizationStep} and
 * {@code ChallengePublisher} (publish, validate, always clean up), {@code FailureClassifier} →
 * {@link dev.certops.acme.AcmeFailure} → {@link dev.certops.acme.FailoverPolicy} decisions recorded by
 * {@code Decisions}, {@code RateLimitMemory} (Retry-After remembered across restarts in history).
 */
package dev.certops.acme;
