package dev.certops.ratelimit;

import dev.certops.history.EventKinds;
import dev.certops.history.NewEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issuances made by other tools (certbot elsewhere, a colleague's script), turned into
 * {@link EventKinds#RATELIMIT_IMPORTED} events so the budget is not blind to them. The caller appends the
 * events to history in one batch; a bad row rejects the whole file, nothing is half-imported.
 */
public final class IssuanceImport {
    private IssuanceImport() { }

    /**
     * Reads CSV rows {@code names,ca,time[,account]}: names separated by spaces or semicolons, time ISO-8601
     * ({@code 2026-11-20T09:15:00Z}). A first row starting with "names" is a header. Blank lines and
     * lines starting with # are skipped.
     *
     * @throws IllegalArgumentException naming the line and what to fix
     */
    public static List<NewEvent> fromCsv(Reader csv, String source) throws IOException {
        List<NewEvent> out = new ArrayList<>();
        BufferedReader r = new BufferedReader(csv);
        String line;
        int no = 0;
        while ((line = r.readLine()) != null) {
            no++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || (no == 1 && l.toLowerCase(Locale.ROOT).startsWith("names"))) continue;
            String[] cols = l.split(",", -1);
            if (cols.length < 3 || cols.length > 4) {
                throw new IllegalArgumentException(source + " line " + no + ": expected names,ca,time[,account] but found "
                        + cols.length + " columns; separate names inside the first column with spaces or semicolons");
            }
            List<String> names = Arrays.stream(cols[0].replace("\"", "").split("[;\\s]+")).filter(s -> !s.isBlank()).toList();
            if (names.isEmpty() || cols[1].isBlank()) {
                throw new IllegalArgumentException(source + " line " + no + ": names and ca must not be empty");
            }
            Instant time;
            try {
                time = Instant.parse(cols[2].strip());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(source + " line " + no + ": time '" + cols[2].strip()
                        + "' is not an ISO-8601 instant; write it like 2026-11-20T09:15:00Z", e);
            }
            names.forEach(RegisteredDomains::normalize);
            out.add(event(cols[1].strip(), names, time, cols.length == 4 ? cols[3].strip() : "", null, source));
        }
        return out;
    }

    /** One certificate read during an estate scan (its SAN DNS names, notBefore as the issuance time, its serial). */
    public static NewEvent fromCertificate(X509Certificate cert, String ca, String source) {
        List<String> names = new ArrayList<>();
        try {
            if (cert.getSubjectAlternativeNames() != null) {
                for (List<?> san : cert.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(san.get(0)) || Integer.valueOf(7).equals(san.get(0))) names.add(String.valueOf(san.get(1)));
                }
            }
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("certificate " + cert.getSerialNumber().toString(16) + " from " + source
                    + " has unreadable subject alternative names; it cannot be counted", e);
        }
        if (names.isEmpty()) throw new IllegalArgumentException("certificate " + cert.getSerialNumber().toString(16) + " from " + source + " names no DNS name or IP");
        return event(ca, names, cert.getNotBefore().toInstant(), "", cert.getSerialNumber().toString(16), source);
    }

    private static NewEvent event(String ca, List<String> names, Instant time, String account, String serial, String source) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("ca", ca);
        d.put("staging", false);
        d.put("names", names);
        d.put("time", time.toString());
        d.put("source", source);
        if (!account.isEmpty()) d.put("account", account);
        if (serial != null) d.put("serial", serial);
        return new NewEvent(EventKinds.RATELIMIT_IMPORTED, "", "info", d);
    }
}
