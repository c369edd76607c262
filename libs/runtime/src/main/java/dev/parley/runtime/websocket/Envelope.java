package dev.parley.runtime.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The envelope both of Parley's WebSocket protocols share ({@code docs/protocol.md}, "Envelope"):
 * one JSON object per text frame, within a size limit, with a string {@code type} and an optional
 * string {@code id} that answers echo as {@code ref}.
 *
 * @param ref the message's {@code id}, cut to {@value #MAX_REF} characters, or {@code null}
 */
public record Envelope(String type, String ref, JsonNode body) {

    /** The most characters of an {@code id} echoed as {@code ref}. */
    public static final int MAX_REF = 64;

    /** Why a frame is not a message; both protocols answer it with an error of this name and no ref. */
    public enum Fault {
        TOO_LARGE, MALFORMED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** A frame that is not a message. */
    public static final class Refused extends Exception {

        private final Fault fault;

        Refused(Fault fault, String message) {
            super(message, null, false, false);
            this.fault = fault;
        }

        public Fault fault() {
            return fault;
        }
    }

    /** Reads one frame of at most {@code maxBytes} UTF-8 bytes. */
    public static Envelope read(String text, int maxBytes, ObjectMapper json) throws Refused {
        if (exceeds(text, maxBytes)) {
            throw new Refused(Fault.TOO_LARGE, "at most " + maxBytes + " bytes");
        }
        JsonNode body;
        try {
            body = json.readTree(text);
        } catch (Exception e) {
            throw new Refused(Fault.MALFORMED, "not JSON");
        }
        if (body == null || !body.isObject() || !body.path("type").isTextual()) {
            throw new Refused(Fault.MALFORMED, "a message is a JSON object with a string type");
        }
        String id = body.path("id").isTextual() ? body.get("id").asText() : null;
        return new Envelope(body.get("type").asText(), id == null || id.length() <= MAX_REF ? id : id.substring(0, MAX_REF),
                body);
    }

    /**
     * Whether {@code text} is longer than {@code max} in UTF-8. A char takes at most 3 bytes, so
     * most messages are decided without encoding them (this runs on every message).
     */
    private static boolean exceeds(String text, int max) {
        if ((long) text.length() * 3 <= max) {
            return false;
        }
        return text.length() > max || text.getBytes(StandardCharsets.UTF_8).length > max;
    }
}
