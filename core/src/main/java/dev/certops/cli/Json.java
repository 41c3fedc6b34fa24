package dev.certops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.certops.startup.StartupTrace;

/** The JSON settings every --json output uses: ISO instants, indented. */
public final class Json {
    private Json() { }

    public static ObjectMapper mapper() {
        try (StartupTrace.Phase p = StartupTrace.phase("Jackson mapper built")) {
            return build();
        }
    }

    private static ObjectMapper build() {
        return new ObjectMapper().registerModule(new JavaTimeModule()).registerModule(new com.fasterxml.jackson.datatype.jdk8.Jdk8Module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .enable(SerializationFeature.INDENT_OUTPUT);
    }
}
