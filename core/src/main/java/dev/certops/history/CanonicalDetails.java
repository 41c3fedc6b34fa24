package dev.certops.history;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Turns a {@link NewEvent}'s details into canonical JSON, and refuses anything that looks like a secret.
 *
 * <p><b>Canonical JSON</b>: a JSON object; keys are {@code String.valueOf(key)}, sorted by
 * {@link String#compareTo} (for the ASCII keys certops uses, that is byte order) at every level;
 * no whitespace; strings escaped by Jackson's generator (control characters as {@code \\uXXXX} or short escapes,
 * non-ASCII kept as UTF-8). Values: strings, booleans, integers, finite decimals, null, lists
 * (from collections or arrays), maps; enums, {@link UUID}s and {@code java.time} values are written
 * as their {@code toString()}. Anything else is refused.
 *
 * <p><b>Secrets never enter history.</b> A details key (at any depth) is refused when, lower-cased
 * and stripped of everything but letters and digits, it contains one of {@link #SECRET_KEY_PARTS};
 * a string value anywhere (and the subject and outcome) is refused when it contains
 * {@code PRIVATE KEY-----} (any PEM private key). The {@link IllegalArgumentException} names the key,
 * never the value. Record a reference instead: a key id, a fingerprint, a file name.
 */
final class CanonicalDetails {

    /** Key fragments that mark a secret (matched on the lower-cased, alphanumeric-only key). */
    static final List<String> SECRET_KEY_PARTS = List.of(
            "privatekey", "privkey", "password", "passwd", "passphrase", "secret", "hmac",
            "token", "apikey", "credential");

    static final String PEM_PRIVATE_KEY_MARK = "PRIVATE KEY-----";

    private static final JsonFactory JSON = new JsonFactory();

    private CanonicalDetails() { }

    /** Canonical JSON of the event's details, after checking the whole event for secrets. */
    static String of(NewEvent event) {
        refusePem(event.subject(), "the subject of a " + event.kind() + " event");
        refusePem(event.outcome(), "the outcome of a " + event.kind() + " event");
        Object tree = normalize(event.details(), "", event.kind());
        StringWriter out = new StringWriter(64);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, tree);
        } catch (IOException e) {
            throw new IllegalArgumentException("the details of a " + event.kind()
                    + " event cannot be written as JSON: " + e.getMessage(), e);
        }
        return out.toString();
    }

    /** Writes a tree made by {@link #normalize}: maps are already sorted, leaves already checked. */
    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName((String) e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> list) {
            g.writeStartArray();
            for (Object item : list) {
                write(g, item);
            }
            g.writeEndArray();
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).intValue());
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof BigInteger bi) {
            g.writeNumber(bi);
        } else if (v instanceof BigDecimal bd) {
            g.writeNumber(bd);
        } else if (v instanceof Float f) {
            g.writeNumber(f);
        } else {
            g.writeNumber((Double) v);
        }
    }

    private static Object normalize(Object value, String path, String kind) {
        if (value == null || value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Short || value instanceof Byte || value instanceof BigInteger) {
            return value;
        }
        if (value instanceof String s) {
            refusePem(s, "details key '" + path + "' of a " + kind + " event");
            return s;
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("details key '" + path + "' of a " + kind
                        + " event is not a finite number; record it as a string if it must be kept");
            }
            return value;
        }
        if (value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof Enum<?> || value instanceof UUID || value instanceof TemporalAccessor) {
            return normalize(value.toString(), path, kind);
        }
        if (value instanceof Map<?, ?> map) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                String child = path.isEmpty() ? key : path + "." + key;
                refuseSecretKey(key, child, kind);
                if (sorted.put(key, normalize(e.getValue(), child, kind)) != null) {
                    throw new IllegalArgumentException("details key '" + child + "' of a " + kind
                            + " event appears twice once keys are written as text; use distinct keys");
                }
            }
            return sorted;
        }
        if (value instanceof Iterable<?> items) {
            List<Object> list = new ArrayList<>();
            int i = 0;
            for (Object item : items) {
                list.add(normalize(item, path + "[" + i++ + "]", kind));
            }
            return list;
        }
        if (value.getClass().isArray()) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                list.add(normalize(Array.get(value, i), path + "[" + i + "]", kind));
            }
            return list;
        }
        throw new IllegalArgumentException("details key '" + path + "' of a " + kind + " event holds a "
                + value.getClass().getSimpleName() + ", which history cannot record; "
                + "pass strings, numbers, booleans, lists or maps");
    }

    private static void refuseSecretKey(String key, String path, String kind) {
        if (key.contains(PEM_PRIVATE_KEY_MARK)) {
            throw new IllegalArgumentException("a details key of a " + kind + " event contains a PEM private key; "
                    + "secrets never enter history");
        }
        StringBuilder fold = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char ch = Character.toLowerCase(key.charAt(i));
            if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
                fold.append(ch);
            }
        }
        String folded = fold.toString();
        for (String part : SECRET_KEY_PARTS) {
            if (folded.contains(part)) {
                throw new IllegalArgumentException("details key '" + path + "' of a " + kind
                        + " event looks like a secret (it contains '" + part + "'); secrets never enter history. "
                        + "Record a reference instead (a key id, a fingerprint, a file name) under another key");
            }
        }
    }

    private static void refusePem(String text, String where) {
        if (text != null && text.contains(PEM_PRIVATE_KEY_MARK)) {
            throw new IllegalArgumentException(where + " contains a PEM private key; secrets never enter history. "
                    + "Record the key's fingerprint instead");
        }
    }
}
