package dev.certops.acme;

import dev.certops.acme.dns.DnsProviderException;
import dev.certops.acme.dns.DnsRouting;
import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.config.ChallengeConfig;
import dev.certops.config.DnsConfig;
import dev.certops.config.HostConfig;
import dev.certops.crypto.SecretStore;
import dev.certops.deploy.DeployException;
import dev.certops.deploy.HostConnectors;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Chooses how a certificate's challenges are answered: the in-process responder when the service
 * was given one, else HTTP-01 through the configured host's webroot (deploy port), or DNS-01 through
 * the configured DNS provider with a propagation wait. The scope closes whatever connection it opened.
 */
final class ChallengeScopes {
    private final CertopsConfig config;
    private final HostConnectors connectors;
    private final SecretStore secrets;
    private final Clock clock;
    private final Optional<Http01Responder> responder;

    /** A publisher with the connection it holds (if any). */
    record Scope(ChallengePublisher publisher, AutoCloseable resource) implements AutoCloseable {
        @Override public void close() throws Exception { if (resource != null) resource.close(); }
    }

    ChallengeScopes(CertopsConfig config, HostConnectors connectors, SecretStore secrets, Clock clock, Optional<Http01Responder> responder) {
        this.config = config;
        this.connectors = connectors;
        this.secrets = secrets;
        this.clock = clock;
        this.responder = responder;
    }

    Scope open(CertificateConfig cert) throws Exception {
        CertopsConfig cfg = config;
        ChallengeConfig ch = cert.challenge().orElseThrow(() -> problem("certificate '" + cert.id()
                + "' has no challenge: add challenge: { type: http-01, host: ID } or { type: dns-01, dns: ID }"));
        if (ch.type() == ChallengeConfig.Type.HTTP_01) {
            if (responder.isPresent()) return new Scope(new ChallengePublisher.Responder(responder.get()), null);
            if (ch.hosts().size() > 1) return webroots(cert, ch.hosts());
            String hostId = ch.host().orElseThrow(() -> problem("certificate '" + cert.id() + "': http-01 needs host: ID (the host whose webroot serves the token)"));
            HostConfig host = cfg.host(hostId).orElseThrow(() -> problem("certificate '" + cert.id() + "': no host '" + hostId + "' in certops.yaml"));
            if (host.webroot().isEmpty()) {
                throw problem("host '" + hostId + "' has no webroot: add webroot: /var/www/html (the folder it serves over port 80), or use dns-01");
            }
            try {
                var channel = connectors.open(host);
                return new Scope(new ChallengePublisher.Webroot(host, channel), channel);
            } catch (DeployException e) {
                throw problem("HTTP-01 needs host '" + hostId + "' to place the token, and it cannot be reached: " + e.getMessage());
            }
        }
        String dnsId = ch.dns().orElseThrow(() -> problem("certificate '" + cert.id() + "': dns-01 needs dns: ID (a provider from dns:)"));
        DnsConfig dnsCfg = cfg.dnsProvider(dnsId).orElseThrow(() -> problem("certificate '" + cert.id() + "': no DNS provider '" + dnsId + "' in certops.yaml"));
        DnsRouting routing = DnsRouting.of(cfg, dnsCfg.id(), secrets, clock);
        try {
            routing.checkDefault();
        } catch (DnsProviderException | IllegalStateException e) {
            throw problem("DNS-01 through provider '" + dnsId + "': " + e.getMessage());
        }
        // the record comes down while the order is finalized; closing the scope waits for it
        ChallengePublisher.RemovedInBackground publisher = new ChallengePublisher.RemovedInBackground(new ChallengePublisher.Dns(routing));
        return new Scope(publisher, publisher);
    }

    /** HTTP-01 behind a load balancer: the token goes to every host's webroot, whichever answers the CA. */
    private Scope webroots(CertificateConfig cert, List<String> hostIds) throws Exception {
        List<ChallengePublisher.Webroot> webroots = new ArrayList<>();
        List<AutoCloseable> channels = new ArrayList<>();
        AutoCloseable closeAll = () -> {
            for (AutoCloseable c : channels) c.close();
        };
        try {
            for (String id : hostIds) {
                HostConfig host = config.host(id).orElseThrow(() -> problem("certificate '" + cert.id() + "': no host '" + id + "' in certops.yaml"));
                try {
                    var channel = connectors.open(host);
                    channels.add(channel);
                    webroots.add(new ChallengePublisher.Webroot(host, channel));
                } catch (DeployException e) {
                    throw problem("HTTP-01 needs every host behind the load balancer to hold the token, and '" + id + "' cannot be reached: " + e.getMessage());
                }
            }
        } catch (Exception e) {
            closeAll.close();
            throw e;
        }
        return new Scope(new ChallengePublisher.Webroots(webroots), closeAll);
    }

    private static OrderAttempt.AttemptFailed problem(String message) {
        return new OrderAttempt.AttemptFailed(new AcmeFailure.Misconfigured("-", message));
    }
}
