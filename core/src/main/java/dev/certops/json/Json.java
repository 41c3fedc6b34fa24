package dev.certops.json;

import com.fasterxml.jackson.core.JsonFactory;
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
import java.util.HashMap;
import java.util.Map;
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
