package dev.certops.estate;

import dev.certops.acme.CertificateVersions;
import dev.certops.config.CaConfig;
import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.crypto.CertificateInfo;
import dev.certops.crypto.PemReader;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.json.Json;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * Which CA a certificate came from, in this order:
 * <ol>
 * <li>the configured CA that issued this very serial (history: {@code acme.certificate.issued});</li>
 * <li>the configured CA that issued earlier certificates with the same issuer (the versions stored
 *     under {@code workspace/certs/<id>/<n>/}) — so a renewal by another tool still maps;</li>
 * <li>a well-known issuer organisation ({@link #KNOWN}): the configured CA whose directory is on that
 *     CA's domain, else the well-known name;</li>
 * <li>the issuer's CN (its DN when it has no CN).</li>
 * </ol>
 */
public final class CaNames {
    private static final Set<String> SERIAL_AND_CA = Set.of("serial", "ca");

    /** A well-known CA: a keyword of its issuer organisation/CN (lower case), its name, and its ACME directory's domain. */
    public record Known(String issuerKeyword, String name, Optional<String> directoryDomain) { }

    /** First match wins (ZeroSSL before Sectigo: ZeroSSL's intermediates are Sectigo-operated). */
    public static final List<Known> KNOWN = List.of(
            new Known("let's encrypt", "letsencrypt", Optional.of("letsencrypt.org")),
            new Known("zerossl", "zerossl", Optional.of("zerossl.com")),
            new Known("sectigo", "sectigo", Optional.of("sectigo.com")),
            new Known("google trust services", "google", Optional.of("pki.goog")),
            new Known("buypass", "buypass", Optional.of("buypass.com")),
            new Known("digicert", "digicert", Optional.of("digicert.com")),
            new Known("amazon", "amazon", Optional.empty()),
            new Known("pebble", "pebble", Optional.empty()));

    private final Map<String, String> caBySerial;
    private final Map<String, String> caByIssuer;
    private final List<CaConfig> cas;

    public CaNames(Map<String, String> caBySerial, Map<String, String> caByIssuer, List<CaConfig> cas) {
        this.caBySerial = Map.copyOf(caBySerial);
        this.caByIssuer = Map.copyOf(caByIssuer);
        this.cas = List.copyOf(cas);
    }

    /** Learns from history and the stored versions; what cannot be read is skipped (and logged), never fatal to a scan. */
    public static CaNames learn(CertopsConfig config, HistoryStore history, CertificateVersions versions) throws HistoryException {
        Map<String, String> bySerial = new HashMap<>();
        history.forEach(EventQuery.all().kind(EventKinds.ACME_CERT_ISSUED), ev -> {
            try {
                Map<String, String> d = Json.fields(ev.details(), SERIAL_AND_CA);
                if (d.containsKey("serial") && d.containsKey("ca")) bySerial.put(d.get("serial").toLowerCase(Locale.ROOT), d.get("ca"));
            } catch (Exception e) {
                LoggerFactory.getLogger(CaNames.class).debug("event {} has unreadable details; `certops audit verify` reports it", ev.seq());
            }
        });
        Map<String, String> byIssuer = new HashMap<>();
        for (CertificateConfig c : config.certificates()) {
            try {
                for (var v : versions.list(c.id())) {
                    var pem = v.dir().resolve("cert.pem");
                    if (!Files.isRegularFile(pem)) continue;
                    CertificateInfo info = CertificateInfo.from(PemReader.readCertificates(pem).get(0));
                    byIssuer.put(info.issuerDn(), v.ca());
                    bySerial.putIfAbsent(info.serial(), v.ca());
                }
            } catch (Exception e) {
                LoggerFactory.getLogger(CaNames.class).warn("stored versions of {} could not be read for CA mapping: {}", c.id(), e.getMessage());
            }
        }
        return new CaNames(bySerial, byIssuer, config.cas());
    }

    public String of(CertificateInfo info) {
        String bySerial = caBySerial.get(info.serial());
        if (bySerial != null) return bySerial;
        String byIssuer = caByIssuer.get(info.issuerDn());
        if (byIssuer != null) return byIssuer;
        String issuer = (info.issuerOrg() + " " + info.issuerCn()).toLowerCase(Locale.ROOT);
        for (Known k : KNOWN) {
            if (issuer.contains(k.issuerKeyword())) return configured(k, issuer.contains("staging")).orElse(k.name());
        }
        return info.issuerCn().isEmpty() ? info.issuerDn() : info.issuerCn();
    }

    private Optional<String> configured(Known k, boolean staging) {
        if (k.directoryDomain().isEmpty()) return Optional.empty();
        List<CaConfig> onDomain = cas.stream().filter(ca -> {
            String host = Optional.ofNullable(ca.directory().getHost()).orElse("").toLowerCase(Locale.ROOT);
            return host.equals(k.directoryDomain().get()) || host.endsWith("." + k.directoryDomain().get());
        }).toList();
        return onDomain.stream().filter(ca -> ca.directory().toString().contains("staging") == staging).findFirst()
                .or(() -> onDomain.stream().findFirst()).map(CaConfig::id);
    }
}
