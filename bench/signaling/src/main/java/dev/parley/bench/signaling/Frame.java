package dev.parley.bench.signaling;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * The top-level fields of a server message that the bench looks at. Read with the streaming
 * parser, skipping everything else (a {@code joined} of a 1000-member room carries a roster of
 * 1000 participants that the bench only counts).
 */
record Frame(String type, String ref, String code, String message, String from, String data,
             String participantId, int rosterSize) {

    static Frame parse(JsonFactory json, String text) throws IOException {
        String type = null, ref = null, code = null, message = null, from = null, data = null, participantId = null;
        int rosterSize = -1;
        try (JsonParser p = json.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object: " + abbreviate(text));
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "type" -> type = string(p, value);
                    case "ref" -> ref = string(p, value);
                    case "code" -> code = string(p, value);
                    case "message" -> message = string(p, value);
                    case "from" -> from = string(p, value);
                    case "data" -> data = string(p, value);
                    case "you" -> participantId = participantIdOf(p, value);
                    case "roster" -> rosterSize = count(p, value);
                    default -> p.skipChildren();
                }
            }
        }
        return new Frame(type, ref, code, message, from, data, participantId, rosterSize);
    }

    boolean is(String expected) {
        return expected.equals(type);
    }

    /** {@code type}, or {@code error <code>} for errors. */
    String outcome() {
        return is("error") ? "error " + code : type;
    }

    private static String string(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }

    private static String participantIdOf(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        String id = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken inner = p.nextToken();
            if ("participantId".equals(name) && inner == JsonToken.VALUE_STRING) {
                id = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return id;
    }

    private static int count(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            p.skipChildren();
            return -1;
        }
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            n++;
            p.skipChildren();
        }
        return n;
    }

    static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
