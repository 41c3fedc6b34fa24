package dev.certops.runbook.action;

import dev.certops.words.Words;
import dev.certops.config.CertificateConfig;
import dev.certops.config.Endpoint;
import dev.certops.scan.ProbeException;
import dev.certops.scan.ServedChain;
import dev.certops.scan.TlsProbe;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What an endpoint serves right now, as a runbook step needs it: serial, not-after and the leaf, or the reason it could not be read. */
record Served(Endpoint endpoint, Optional<String> serial, Optional<Instant> notAfter, Optional<String> problem, Optional<X509Certificate> leaf) {

    static String serial(X509Certificate c) { return c.getSerialNumber().toString(16).toLowerCase(Locale.ROOT); }

    static Served probe(TlsProbe probe, Endpoint e) {
        try {
            ServedChain c = probe.fetch(e);
            return new Served(e, Optional.of(serial(c.leaf())), Optional.of(c.leaf().getNotAfter().toInstant()), Optional.empty(), Optional.of(c.leaf()));
        } catch (ProbeException ex) {
            return new Served(e, Optional.empty(), Optional.empty(), Optional.of(ex.getMessage()), Optional.empty());
        }
    }

    static List<Served> probeAll(TlsProbe probe, CertificateConfig cert) {
        List<Served> out = new ArrayList<>();
        for (Endpoint e : cert.endpoints()) out.add(probe(probe, e));
        return out;
    }

    /** Whole days until not-after, if known. */
    Optional<Long> daysLeft(Clock clock) { return notAfter.map(n -> Duration.between(clock.instant(), n).toDays()); }

    /** Normalizes a serial as written by people ("0A:1b:..", "0x0a1b") to lower-case hex without leading zeros. */
    static String normalize(String serial) {
        String s = serial.strip().toLowerCase(Locale.ROOT).replace(":", "").replace(" ", "");
        if (s.startsWith("0x")) s = s.substring(2);
        s = s.replaceFirst("^0+(?=.)", "");
        return s;
    }

    @Override public String toString() {
        return endpoint + ": " + serial.map(s -> "serial " + s + notAfter.map(n -> ", not after " + Words.instant(n)).orElse("")).orElse(problem.orElse("?"));
    }
}
