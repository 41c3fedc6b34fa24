package dev.certops.renew;

import dev.certops.acme.CertificateVersions;
import dev.certops.acme.LatestVersions;
import dev.certops.acme.RenewalInformation;
import dev.certops.config.CaConfig;
import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.crypto.CertificateInfo;
import dev.certops.crypto.PemReader;
import dev.certops.deploy.ServedEndpoints;
import dev.certops.estate.CertificateView;
import dev.certops.estate.DeploymentView;
import dev.certops.estate.EndpointView;
import dev.certops.estate.EstateService;
import dev.certops.estate.EstateSnapshot;
import dev.certops.scan.TlsProbe;
import dev.certops.services.CoreServices;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is known about each managed certificate before deciding: the newest version issued here, what
 * is live on its hosts (through the deploy port) and served at its endpoints (TLS handshakes) — both
 * read by one estate scan — its revoked serials, the CA's ARI window for the stored version, and the
 * hosts that do not serve the newest stored version.
 */
final class KnownCertificates {
    private static final Logger LOG = LoggerFactory.getLogger(KnownCertificates.class);

    /** One certificate: the planner's input, the newest stored version and its leaf. */
    record Known(RenewalInput input, Optional<CertificateVersions.Version> latest, CertificateVersions versions) {
        /** The newest stored version's leaf, parsed when asked (only due certificates need it). */
        Optional<X509Certificate> latestLeaf() {
            try {
                return latest.isPresent() ? Optional.of(versions.leaf(latest.get())) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }

    private final CoreServices session;
    private final CertificateVersions versions;
    private final Map<String, Boolean> caOffersAri = new HashMap<>();

    KnownCertificates(CoreServices session) {
        this.session = session;
        this.versions = new CertificateVersions(session.workspace(), session.secrets());
    }

    List<Known> gather(CertopsConfig cfg, List<CertificateConfig> certs, boolean fetchAri) throws Exception {
        boolean anythingToScan = certs.stream().anyMatch(c -> !c.hosts().isEmpty() || !c.endpoints().isEmpty());
        Optional<EstateSnapshot> scan = anythingToScan
                ? Optional.of(new EstateService(session, TlsProbe.forScanning(), EstateService.DEFAULT_PARALLELISM).scanOnly())
                : Optional.empty();
        Map<String, Set<String>> revoked = RenewalInputs.revokedSerials(session.history());
        List<Stored> read = readStored(certs);
        List<Known> out = new ArrayList<>(certs.size());
        for (int i = 0; i < certs.size(); i++) {
            CertificateConfig c = certs.get(i);
            Optional<CertificateVersions.Version> latest = read.get(i).latest();
            Optional<CertificateInfo> stored = read.get(i).info();
            Optional<CertificateView> view = scan.flatMap(s -> s.certificate(c.id()));
            List<CertificateInfo> live = view.map(v -> liveCopies(c, v)).orElse(List.of());
            List<String> diverged = stored.isPresent() && view.isPresent() && newest(stored.get(), live)
                    ? diverged(cfg, c, view.get(), stored.get().serial()) : List.of();
            Optional<AriWindow> ari = fetchAri && latest.isPresent() ? ari(cfg, latest.get()) : Optional.empty();
            out.add(new Known(RenewalInputs.of(c, stored, live, revoked.getOrDefault(c.id(), Set.of()), diverged, ari), latest, versions));
        }
        return out;
    }

    /** The newest stored (non-staging) version of a certificate, and what the planner needs of its leaf. */
    private record Stored(Optional<CertificateVersions.Version> latest, Optional<CertificateInfo> info) { }

    /**
     * Reads every certificate's newest stored production version (a staging version issued after it does not
     * hide it) — the bulk of a run over thousands of
     * certificates — through the workspace's version index (checked against the files); the order of
     * {@code certs} is kept.
     */
    private List<Stored> readStored(List<CertificateConfig> certs) throws Exception {
        List<Optional<LatestVersions.Latest>> latest = new LatestVersions(session.workspace(), versions)
                .read(certs.stream().map(CertificateConfig::id).toList());
        return latest.stream().map(l -> l.map(x -> new Stored(Optional.of(x.version()), Optional.of(x.info())))
                .orElseGet(() -> new Stored(Optional.empty(), Optional.empty()))).toList();
    }

    /** Live and served certificates that share a name with the configuration (a default certificate served by mistake is not "current"). */
    private static List<CertificateInfo> liveCopies(CertificateConfig c, CertificateView v) {
        Set<String> names = new LinkedHashSet<>();
        c.names().forEach(n -> names.add(n.toLowerCase(Locale.ROOT)));
        List<CertificateInfo> out = new ArrayList<>();
        for (DeploymentView d : v.deployments()) d.live().ifPresent(out::add);
        for (EndpointView e : v.endpoints()) e.served().ifPresent(out::add);
        return out.stream().filter(i -> i.names().stream().anyMatch(n -> names.contains(n.toLowerCase(Locale.ROOT)))).toList();
    }

    /** True when no live copy is newer than the stored version (re-deploying it would not go backwards). */
    private static boolean newest(CertificateInfo stored, List<CertificateInfo> live) {
        return live.stream().noneMatch(l -> l.notBefore().isAfter(stored.notBefore()));
    }

    /** Hosts with nothing deployed, another certificate live on disk, or an endpoint they serve presenting another certificate. */
    private static List<String> diverged(CertopsConfig cfg, CertificateConfig c, CertificateView v, String serial) {
        Set<String> out = new LinkedHashSet<>();
        for (DeploymentView d : v.deployments()) {
            if (!d.deployed() || d.live().map(l -> !l.serial().equals(serial)).orElse(false)) out.add(d.hostId());
        }
        for (EndpointView e : v.endpoints()) {
            if (e.served().isEmpty() || e.served().get().serial().equals(serial)) continue;
            for (String h : c.hosts()) {
                cfg.host(h).filter(hc -> ServedEndpoints.BY_ADDRESS.endpointsFor(hc, c).contains(e.endpoint())).ifPresent(hc -> out.add(h));
            }
        }
        return c.hosts().stream().filter(out::contains).toList();
    }

    /** The CA's renewal window for the stored version; empty when the CA offers none or cannot be asked now. */
    private Optional<AriWindow> ari(CertopsConfig cfg, CertificateVersions.Version v) {
        Optional<CaConfig> ca = cfg.ca(v.ca());
        if (ca.isEmpty() || Boolean.FALSE.equals(caOffersAri.get(v.ca()))) return Optional.empty();
        try {
            var info = new RenewalInformation(ca.get().trust().map(session.workspace()::resolve));
            var w = info.window(ca.get().directory(), () -> versions.leaf(v));
            caOffersAri.put(v.ca(), w.isPresent());
            return w.map(x -> new AriWindow(x.start(), x.end()));
        } catch (RenewalInformation.Unreachable e) {
            LOG.info("CA '{}' cannot be reached for renewal information now: {}", v.ca(), e.getMessage());
            caOffersAri.put(v.ca(), false); // unreachable for this run: do not try again per certificate
            return Optional.empty();
        } catch (Exception e) {
            LOG.info("no renewal information from CA '{}' for {}: {}", v.ca(), v.certificateId(), e.getMessage());
            return Optional.empty();
        }
    }
}
