package dev.certops.crypto;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place that knows every secret value this process has loaded (each {@code secret:}
 * reference read from secrets/, the workspace passphrase, webhook and chat URLs) and scrubs them
 * from any text before it is written where people or files keep it: history events, certops.log,
 * command output and errors, alert status. A URL is also scrubbed by its path and query, because
 * receivers echo those in their error bodies without the host. Values shorter than
 * {@value #MIN_LENGTH} characters are not registered (they would blank ordinary words).
 */
public final class Redactor {
    static final int MIN_LENGTH = 6;
    public static final String MASK = "[redacted]";
    private static final Redactor GLOBAL = new Redactor();

    private final Set<String> secrets = ConcurrentHashMap.newKeySet();
    private volatile List<String> longestFirst = List.of();

    /** The process-wide redactor every sink uses. */
    public static Redactor global() { return GLOBAL; }

    /** Registers a secret value (and, for a URL, its path and query). */
    public void register(String value) {
        if (value == null) return;
        String v = value.strip();
        boolean added = add(v);
        if (v.startsWith("https://") || v.startsWith("http://")) {
            try {
                URI u = URI.create(v);
                String pathAndQuery = (u.getRawPath() == null ? "" : u.getRawPath()) + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
                added |= add(pathAndQuery);
                if (u.getRawQuery() != null) added |= add(u.getRawQuery());
                if (u.getRawPath() != null) {
                    for (String seg : u.getRawPath().split("/")) if (seg.length() >= 16) added |= add(seg);
                }
                if (u.getRawUserInfo() != null) added |= add(u.getRawUserInfo());
            } catch (IllegalArgumentException e) {
                // not a URL after all: the whole value is registered
            }
        }
        if (added) {
            List<String> sorted = new ArrayList<>(secrets);
            sorted.sort(Comparator.comparingInt(String::length).reversed());
            longestFirst = List.copyOf(sorted);
        }
    }

    public void register(byte[] value) {
        if (value != null) register(new String(value, StandardCharsets.UTF_8));
    }

    public void register(char[] value) {
        if (value != null) register(new String(value));
    }

    private boolean add(String v) {
        return v.length() >= MIN_LENGTH && !v.equals("/") && secrets.add(v);
    }

    /** {@code text} with every registered secret replaced by {@value #MASK}. */
    public String scrub(String text) {
        if (text == null || text.isEmpty()) return text;
        String out = text;
        for (String s : longestFirst) {
            if (out.contains(s)) out = out.replace(s, MASK);
        }
        return out;
    }

    /** A copy of event details (maps, lists, strings at any depth) with every string scrubbed. */
    public Map<String, Object> scrub(Map<String, ?> details) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : details.entrySet()) out.put(e.getKey(), scrubValue(e.getValue()));
        return out;
    }

    @SuppressWarnings("unchecked")
    private Object scrubValue(Object v) {
        if (v instanceof String s) return scrub(s);
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) out.put(e.getKey(), scrubValue(e.getValue()));
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            for (Object o : c) out.add(scrubValue(o));
            return out;
        }
        return v;
    }

    /** A writer that scrubs each chunk written through it (command output and errors). */
    public Writer scrubbing(Writer out) {
        return new FilterWriter(out) {
            @Override public void write(String str, int off, int len) throws IOException {
                out.write(scrub(str.substring(off, off + len)));
            }
            @Override public void write(char[] cbuf, int off, int len) throws IOException {
                out.write(scrub(new String(cbuf, off, len)));
            }
        };
    }

    /** Whether no secret is registered yet (then scrubbing changes nothing). */
    public boolean isEmpty() { return longestFirst.isEmpty(); }

    /** Whether any secret is registered (tests and diagnostics). */
    public boolean knows(String value) { return secrets.contains(value); }
}
