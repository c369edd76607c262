package dev.parley.client.media.janus;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Optional;

/**
 * The JSON of the requests the load client sends to Janus: the core's (janus.conf.meetecho.com/
 * docs/rest: {@code create}, {@code attach}, {@code message}, {@code keepalive},
 * {@code destroy}, each with a transaction) and the VideoRoom plugin's bodies
 * (janus.conf.meetecho.com/docs/videoroom: {@code create} / {@code destroy} a room, {@code join} as
 * a publisher then {@code publish}, {@code join} as a subscriber to feeds then {@code start}).
 */
public final class JanusRequests {

    static final ObjectMapper JSON = new ObjectMapper();
    public static final String VIDEOROOM = "janus.plugin.videoroom";

    private JanusRequests() {
    }

    /** {@code {"janus": type, "transaction": transaction}}: create, keepalive, destroy. */
    public static ObjectNode core(String type, String transaction) {
        return JSON.createObjectNode().put("janus", type).put("transaction", transaction);
    }

    public static ObjectNode attach(String plugin, String transaction) {
        return core("attach", transaction).put("plugin", plugin);
    }

    /** A plugin message with {@code body} and, when negotiating, an SDP of {@code jsepType}. */
    public static ObjectNode message(ObjectNode body, Optional<JanusReply.Jsep> jsep, String transaction) {
        ObjectNode message = core("message", transaction);
        message.set("body", body);
        jsep.ifPresent(j -> message.set("jsep", JSON.createObjectNode().put("type", j.type()).put("sdp", j.sdp())));
        return message;
    }

    /**
     * A room for {@code publishers} publishers of Opus and VP8, as the bench's rooms are: no bitrate
     * cap (REMB 0), no periodic FIR, no join notifications, the audio-level extension as Parley's.
     */
    public static ObjectNode createRoom(long room, int publishers) {
        return JSON.createObjectNode().put("request", "create").put("room", room).put("publishers", publishers)
                .put("audiocodec", "opus").put("videocodec", "vp8").put("bitrate", 0).put("fir_freq", 0)
                .put("notify_joining", false).put("audiolevel_ext", true).put("permanent", false);
    }

    public static ObjectNode destroyRoom(long room) {
        return JSON.createObjectNode().put("request", "destroy").put("room", room).put("permanent", false);
    }

    public static ObjectNode joinAsPublisher(long room, long feed) {
        return JSON.createObjectNode().put("request", "join").put("ptype", "publisher").put("room", room).put("id", feed);
    }

    /** Sent with the publisher's offer: Janus answers in the {@code configured} event. */
    public static ObjectNode publish() {
        return JSON.createObjectNode().put("request", "publish").put("audio", true).put("video", true);
    }

    /** One subscription to every track of each of {@code feeds} (Janus 1.x multistream). */
    public static ObjectNode joinAsSubscriber(long room, List<Long> feeds) {
        ObjectNode join = JSON.createObjectNode().put("request", "join").put("ptype", "subscriber").put("room", room);
        ArrayNode streams = join.putArray("streams");
        feeds.forEach(feed -> streams.addObject().put("feed", feed));
        return join;
    }

    /** Sent with the subscriber's answer. */
    public static ObjectNode start() {
        return JSON.createObjectNode().put("request", "start");
    }
}
