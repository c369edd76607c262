package dev.parley.client.media.janus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One message from Janus's API (janus.conf.meetecho.com/docs/rest): its {@code janus} type
 * ({@code success}, {@code ack}, {@code event}, {@code error}, {@code keepalive}, {@code webrtcup},
 * …), the transaction it answers, the id a {@code create}/{@code attach} made ({@code data.id}),
 * the plugin's own data ({@code plugindata.data}), an SDP ({@code jsep}) and the error, from the
 * core ({@code error.code}/{@code reason}) or from the plugin ({@code error_code}/{@code error} in
 * its data).
 */
public record JanusReply(String type, Optional<String> transaction, Optional<Long> id, JsonNode pluginData,
                         Optional<Jsep> jsep, Optional<JanusException> error) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A session description carried next to a request or an event. */
    public record Jsep(String type, String sdp) {
    }

    /** Reads one reply, or the replies of a long poll ({@code maxev} > 1 makes it an array). */
    public static List<JanusReply> parseAll(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            List<JanusReply> replies = new ArrayList<>();
            if (node.isArray()) {
                node.forEach(n -> replies.add(of(n)));
            } else {
                replies.add(of(node));
            }
            return replies;
        } catch (IOException e) {
            throw new UncheckedIOException("not a Janus reply: " + body, e);
        }
    }

    /** Reads one reply. */
    public static JanusReply parse(String body) {
        List<JanusReply> all = parseAll(body);
        if (all.size() != 1) {
            throw new IllegalArgumentException("expected one Janus reply, got " + all.size());
        }
        return all.get(0);
    }

    private static JanusReply of(JsonNode node) {
        String type = node.path("janus").asText("");
        if (type.isEmpty()) {
            throw new IllegalArgumentException("a Janus reply has a \"janus\" type: " + node);
        }
        Optional<String> transaction = node.hasNonNull("transaction") ? Optional.of(node.get("transaction").asText())
                : Optional.empty();
        Optional<Long> id = node.path("data").has("id") ? Optional.of(node.path("data").path("id").asLong()) : Optional.empty();
        JsonNode data = node.path("plugindata").path("data");
        Optional<Jsep> jsep = node.has("jsep")
                ? Optional.of(new Jsep(node.path("jsep").path("type").asText(), node.path("jsep").path("sdp").asText()))
                : Optional.empty();
        Optional<JanusException> error = Optional.empty();
        if (type.equals("error")) {
            error = Optional.of(new JanusException(node.path("error").path("code").asInt(),
                    node.path("error").path("reason").asText()));
        } else if (data.has("error_code")) {
            error = Optional.of(new JanusException(data.path("error_code").asInt(), data.path("error").asText()));
        }
        return new JanusReply(type, transaction, id, data, jsep, error);
    }

    /** The plugin data's {@code videoroom} field (what the VideoRoom says happened), or "". */
    public String videoroom() {
        return pluginData.path("videoroom").asText("");
    }

    /** This reply, or its error thrown. */
    public JanusReply orThrow() throws JanusException {
        if (error.isPresent()) {
            throw error.get();
        }
        return this;
    }
}
