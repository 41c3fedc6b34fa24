package dev.certops.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.certops.startup.StartupTrace;

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
