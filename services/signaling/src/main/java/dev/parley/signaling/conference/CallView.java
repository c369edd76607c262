package dev.parley.signaling.conference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.events.EventJson;
import dev.parley.events.call.CallParticipant;
import dev.parley.events.room.RoomState;

import java.util.List;

/**
 * The {@code joined} and {@code resumed} answers: everything a client needs to show the call as
 * it stands at the answer's {@code seq} ({@code docs/protocol.md}).
 */
final class CallView {

    private static final ObjectMapper JSON = EventJson.mapper();

    private CallView() {
    }

    static String of(String type, String ref, long seq, RoomState room, CallParticipant you, ResumeToken resume,
                     List<LivePlace> roster, List<LobbyEntry> lobby) {
        ObjectNode view = JSON.createObjectNode().put("type", type);
        if (ref != null) {
            view.put("ref", ref);
        }
        view.put("seq", seq);
        ObjectNode settings = view.putObject("room").put("id", room.id().value());
        settings.put("name", room.settings().name())
                .put("lobby", room.settings().lobby())
                .put("ssoOnly", room.settings().ssoOnly())
                .put("maxParticipants", room.settings().maxParticipants())
                .put("locked", room.settings().locked());
        view.set("you", JSON.valueToTree(you));
        view.put("resumeToken", resume.value());
        ArrayNode people = view.putArray("roster");
        roster.forEach(place -> {
            ObjectNode entry = JSON.valueToTree(place.participant());
            entry.set("tracks", JSON.valueToTree(place.tracks()));
            people.add(entry);
        });
        if (lobby != null) {
            ArrayNode waiting = view.putArray("lobby");
            lobby.forEach(entry -> waiting.addObject()
                    .put("userId", entry.userId().value())
                    .put("displayName", entry.displayName())
                    .put("since", entry.since().toString()));
        }
        return view.toString();
    }

    static String notice(String type, String ref, String roomId) {
        ObjectNode notice = JSON.createObjectNode().put("type", type);
        if (ref != null) {
            notice.put("ref", ref);
        }
        if (roomId != null) {
            notice.put("roomId", roomId);
        }
        return notice.toString();
    }
}
