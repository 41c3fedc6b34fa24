package dev.certops.estate;

import dev.certops.config.ConfigException;
import dev.certops.config.CertopsConfig;
import dev.certops.config.Endpoint;
import dev.certops.deploy.HostConnectors;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.scan.ClientTrust;
import dev.certops.scan.CrlCache;
import dev.certops.scan.TlsProbe;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scan's verdict on endpoints that no certificate entry names — what {@code estate discover} finds:
 * the same batch probe, the same client verdict (validity, key and signature strength, a path to a
 * trusted root with anchors = Java's plus the {@code trust:} files, the CA's CRL), certops' own
 * revocations from history, and the thresholds. The name is checked when one was asked (a host-name
 * target or an SNI); an address probed without a name gets the server's default certificate, and no
 * client would ask that certificate for the address.
 */
public final class ServedVerdicts {
    private final TlsProbe probe;
    private final Clock clock;
    private final HistoryStore history;

    public ServedVerdicts(TlsProbe probe, Clock clock, HistoryStore history) {
        this.probe = probe;
        this.clock = clock;
        this.history = history;
    }

    /** Every endpoint judged, in the order given; an endpoint that did not answer with TLS is {@link Status#UNREACHABLE} with its reason. */
    public Map<Endpoint, EndpointView> judge(Collection<Endpoint> endpoints, CertopsConfig cfg) throws ConfigException, HistoryException, InterruptedException {
        Instant now = clock.instant();
        ClientTrust trust = EstateService.trust(cfg);
        EstateScanner.Results read = new EstateScanner(probe, () -> new HostConnectors(List.of()), 1, now,
                new CrlCache(clock, probe.handshakeTimeout()), new ChainVerdicts()).run(endpoints, List.of(), trust);
        Judge judge = new Judge(cfg.thresholds(), now, new CaNames(Map.of(), Map.of(), cfg.cas()), cfg::host, Revocation.byHistory(history));
        Map<Endpoint, EndpointView> out = new LinkedHashMap<>();
        for (Endpoint e : endpoints) out.put(e, judge.endpoint(Optional.empty(), e, read.endpoints().get(e), nameAsked(e)));
        return out;
    }

    /** Why an unreachable endpoint gave no certificate, as one word ("refused", "timeout", "handshake", "dns"). */
    public static String unreachableReason(EndpointView v) {
        String u = v.unreachable().orElse("");
        int colon = u.indexOf(':');
        return colon > 0 ? u.substring(0, colon) : u;
    }

    /** False for an address probed without a name (its SNI is the address itself). */
    static boolean nameAsked(Endpoint e) { return !isAddress(e.sni()); }

    private static boolean isAddress(String s) { return s.contains(":") || s.matches("\\d{1,3}(\\.\\d{1,3}){3}"); }
}
