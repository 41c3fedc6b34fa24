package dev.certops.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one Jackson mapper of the alert payloads. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() { }

    static ObjectNode object() { return MAPPER.createObjectNode(); }

    static String write(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("alert payload cannot be written: " + e.getOriginalMessage(), e);
        }
    }
}
