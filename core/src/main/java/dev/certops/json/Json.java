package dev.certops.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.certops.startup.StartupTrace;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one JSON mapper of certops (Jackson), configured once: ISO-8601 instants and durations, {@code Optional} as its
 * value. {@link #mapper()} writes compact JSON (history details, state files, alert and DNS API bodies);
 * {@link #indented()} is the same mapper writing indented JSON (every {@code --json} output, stored files a person
 * may open, run reports). Both are shared and must not be reconfigured by their users.
 */
public final class Json {
    private Json() { }

    /** The shared mapper, writing compact JSON. */
    public static ObjectMapper mapper() { return Mappers.COMPACT; }

    /** The shared mapper's indented twin (same settings, indented output). */
    public static ObjectMapper indented() { return Mappers.INDENTED; }

    /** A new, empty JSON object. */
    public static ObjectNode object() { return mapper().createObjectNode(); }

    /** {@code value} as compact JSON; a value Jackson cannot write is a programming error, named with what failed. */
    public static String write(Object value) {
        try {
            return mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a value cannot be written as JSON (" + e.getOriginalMessage() + ")", e);
        }
    }

    /**
     * Compact JSON of plain values (maps with string keys, lists, strings, booleans, numbers, null) written by
     * Jackson's generator alone, as {@link #write} would write them, without building the object mapper.
     * Anything else is handed to the mapper.
     */
    public static String plain(Object value) {
        return plain(value, false);
    }

    /** {@link #plain(Object)}, indented as {@link #indented()} writes it (for files a person may open). */
    public static String plainIndented(Object value) {
        return plain(value, true);
    }

    private static String plain(Object value, boolean indent) {
        if (!isPlain(value)) {
            try {
                return (indent ? indented() : mapper()).writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a value cannot be written as JSON (" + e.getOriginalMessage() + ")", e);
            }
        }
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = Streaming.FACTORY.createGenerator(out)) {
            if (indent) g.useDefaultPrettyPrinter();
            writePlain(g, value);
        } catch (IOException e) {
            throw new IllegalStateException("a value cannot be written as JSON (" + e.getMessage() + ")", e);
        }
        return out.toString();
    }

    /**
     * A JSON document read into plain values by the streaming parser alone: objects as insertion-ordered maps,
     * arrays as lists, strings, booleans, null, integers as {@code Integer} or {@code Long}, other numbers as
     * {@code Double}: what {@code mapper().readValue(json, Object.class)} gives, without building the mapper.
     *
     * @throws IOException when {@code json} is not one JSON value
     */
    public static Object readPlain(String json) throws IOException {
        try (JsonParser p = Streaming.FACTORY.createParser(json)) {
            JsonToken t = p.nextToken();
            if (t == null) throw new IOException("no JSON value (the text is empty)");
            Object v = readPlain(p, t);
            if (p.nextToken() != null) throw new IOException("more than one JSON value");
            return v;
        }
    }

    private static Object readPlain(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    m.put(name, readPlain(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                for (JsonToken x = p.nextToken(); x != JsonToken.END_ARRAY; x = p.nextToken()) l.add(readPlain(p, x));
                return l;
            }
            case VALUE_STRING -> { return p.getText(); }
            case VALUE_TRUE -> { return Boolean.TRUE; }
            case VALUE_FALSE -> { return Boolean.FALSE; }
            case VALUE_NULL -> { return null; }
            case VALUE_NUMBER_INT -> { return p.getNumberValue(); }
            case VALUE_NUMBER_FLOAT -> { return p.getDoubleValue(); }
            default -> throw new IOException("unexpected JSON token " + t);
        }
    }

    /**
     * Reading what {@link #readPlain} gave, with a message that says what was expected where it is not (a file of
     * certops' own state that was cut off or edited by hand): each throws {@link IllegalArgumentException}.
     */
    public static final class Plain {
        private Plain() { }

        public static Map<?, ?> map(Object o) {
            if (o instanceof Map<?, ?> m) return m;
            throw new IllegalArgumentException("expected an object, found " + kindOf(o));
        }

        public static List<?> list(Object o) {
            if (o instanceof List<?> l) return l;
            throw new IllegalArgumentException("expected a list, found " + kindOf(o));
        }

        public static String text(Object o) {
            if (o instanceof String s) return s;
            throw new IllegalArgumentException("expected a string, found " + kindOf(o));
        }

        public static long number(Object o) {
            if (o instanceof Integer || o instanceof Long) return ((Number) o).longValue();
            throw new IllegalArgumentException("expected a whole number, found " + kindOf(o));
        }

        private static String kindOf(Object o) {
            if (o == null) return "nothing";
            if (o instanceof Map) return "an object";
            if (o instanceof List) return "a list";
            if (o instanceof String) return "a string";
            if (o instanceof Number) return "a number";
            return "a value";
        }
    }

    private static boolean isPlain(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Long) return true;
        if (v instanceof Double d) return Double.isFinite(d);
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) if (!(e.getKey() instanceof String) || !isPlain(e.getValue())) return false;
            return true;
        }
        if (v instanceof List<?> l) {
            for (Object x : l) if (!isPlain(x)) return false;
            return true;
        }
        return false;
    }

    private static void writePlain(JsonGenerator g, Object v) throws IOException {
        if (v == null) g.writeNull();
        else if (v instanceof String s) g.writeString(s);
        else if (v instanceof Boolean b) g.writeBoolean(b);
        else if (v instanceof Integer i) g.writeNumber(i);
        else if (v instanceof Long l) g.writeNumber(l);
        else if (v instanceof Double d) g.writeNumber(d);
        else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName((String) e.getKey());
                writePlain(g, e.getValue());
            }
            g.writeEndObject();
        } else {
            g.writeStartArray();
            for (Object x : (List<?>) v) writePlain(g, x);
            g.writeEndArray();
        }
    }

    /**
     * The top-level fields of a JSON object that are named in {@code names} and hold a string, number or boolean,
     * as their text. What reads one or two fields of many stored events (history's details) needs no mapper:
     * Jackson's streaming parser alone, without building the object mapper a command may otherwise never use.
     *
     * @throws IOException when {@code json} is not JSON
     */
    public static Map<String, String> fields(String json, Set<String> names) throws IOException {
        Map<String, String> out = new HashMap<>();
        try (JsonParser p = Streaming.FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return out;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) p.skipChildren();
                else if (value != JsonToken.VALUE_NULL && names.contains(name)) out.put(name, p.getText());
            }
        }
        return out;
    }

    /**
     * A JSON object's top level, read by Jackson's streaming parser alone: each scalar field (string, number,
     * boolean) as its text, each array as the texts of its scalar items. Nested objects, and objects or arrays
     * inside an array, are skipped; so is null. For code that reads a few known fields of many stored events
     * (the rate-limit ledger, the write-ahead record) and must not build the object mapper for it.
     */
    public record Flat(Map<String, String> scalars, Map<String, List<String>> arrays) {
        /** The field's text, when it is a scalar. */
        public Optional<String> text(String name) { return Optional.ofNullable(scalars.get(name)); }

        /** The field's text, or {@code otherwise} when it is absent, null, an object or an array. */
        public String text(String name, String otherwise) { return scalars.getOrDefault(name, otherwise); }

        /** True only for JSON {@code true} or the text "true" (any case). */
        public boolean bool(String name) { return "true".equalsIgnoreCase(scalars.get(name)); }

        /** The field's array items, when it is an array. */
        public Optional<List<String>> array(String name) { return Optional.ofNullable(arrays.get(name)); }

        /** Whether the field is present and not null. */
        public boolean has(String name) { return scalars.containsKey(name) || arrays.containsKey(name); }
    }

    /**
     * {@code json}'s top level as a {@link Flat}; text that is not a JSON object reads as an empty one.
     *
     * @throws IOException when {@code json} is not JSON
     */
    public static Flat flat(String json) throws IOException {
        Map<String, String> scalars = new HashMap<>();
        Map<String, List<String>> arrays = new HashMap<>();
        try (JsonParser p = Streaming.FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return new Flat(scalars, arrays);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_OBJECT) {
                    p.skipChildren();
                } else if (value == JsonToken.START_ARRAY) {
                    List<String> items = new ArrayList<>();
                    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) p.skipChildren();
                        else if (t != JsonToken.VALUE_NULL) items.add(p.getText());
                    }
                    arrays.put(name, items);
                } else if (value != JsonToken.VALUE_NULL) {
                    scalars.put(name, p.getText());
                }
            }
        }
        return new Flat(scalars, arrays);
    }

    private static final class Streaming {
        static final JsonFactory FACTORY = new JsonFactory();
    }

    /** Built on first use (the start-up trace times it). */
    private static final class Mappers {
        static final ObjectMapper COMPACT;
        static final ObjectMapper INDENTED;

        static {
            try (StartupTrace.Phase p = StartupTrace.phase("Jackson mapper built")) {
                COMPACT = new ObjectMapper().registerModule(new JavaTimeModule()).registerModule(new Jdk8Module())
                        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
                INDENTED = COMPACT.copy().enable(SerializationFeature.INDENT_OUTPUT);
            }
        }
    }
}
