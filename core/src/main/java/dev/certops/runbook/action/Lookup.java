package dev.certops.runbook.action;

import dev.certops.words.Words;
import dev.certops.config.CaConfig;
import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.config.ConfigException;
import dev.certops.config.HostConfig;
import dev.certops.runbook.RunbookException;
import dev.certops.runbook.StepContext;
import dev.certops.services.CoreServices;
import java.util.ArrayList;
import java.util.List;

/** Resolves the ids a step names against certops.yaml, with messages that list what exists. */
final class Lookup {
    private Lookup() { }

    static CertopsConfig config(CoreServices session) throws RunbookException {
        try {
            return session.config();
        } catch (ConfigException e) {
            throw new RunbookException(e.getMessage(), e);
        }
    }

    static CaConfig ca(CertopsConfig cfg, String id) throws RunbookException {
        return cfg.ca(id).orElseThrow(() -> new RunbookException("no CA '" + id + "' in certops.yaml — known: "
                + String.join(", ", cfg.cas().stream().map(CaConfig::id).toList())));
    }

    /** The CA a step names ({@code ca: ID}), or the certificate's {@code primary}/{@code secondary}. */
    static CaConfig ca(CertopsConfig cfg, StepContext ctx, CertificateConfig cert) throws RunbookException {
        String want = ctx.arg("ca").orElse("primary");
        List<CaConfig> cas = cfg.casFor(cert);
        return switch (want) {
            case "primary" -> cas.stream().findFirst().orElseThrow(() -> new RunbookException("no CA configured for " + cert.id()));
            case "secondary" -> cas.stream().skip(1).findFirst().orElseThrow(() -> new RunbookException(
                    "certificate '" + cert.id() + "' has no secondary CA — add one to its cas: list in certops.yaml"));
            default -> ca(cfg, want);
        };
    }

    static CertificateConfig certificate(CertopsConfig cfg, String id) throws RunbookException {
        return cfg.certificate(id).orElseThrow(() -> new RunbookException(cfg.unknownCertificate(id)));
    }

    /** {@code certificate: ID} or {@code certificates: a,b} (or ${item}). */
    static List<CertificateConfig> certificates(CertopsConfig cfg, StepContext ctx) throws RunbookException {
        List<String> ids = new ArrayList<>(ctx.listArg("certificates"));
        ctx.arg("certificate").filter(s -> !s.isBlank()).ifPresent(ids::add);
        if (ids.isEmpty()) throw new RunbookException("the step needs 'with: { certificate: ID }' or 'certificates: [..]'");
        List<CertificateConfig> out = new ArrayList<>();
        for (String id : ids) out.add(certificate(cfg, id));
        return out;
    }

    static HostConfig host(CertopsConfig cfg, String id) throws RunbookException {
        return cfg.host(id).orElseThrow(() -> new RunbookException("no host '" + id + "' in certops.yaml — known: "
                + String.join(", ", cfg.hosts().stream().map(HostConfig::id).toList())));
    }

    static String join(List<String> l) { return Words.list(l); }
}
