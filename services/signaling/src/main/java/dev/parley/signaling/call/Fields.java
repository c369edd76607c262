package dev.parley.signaling.call;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.events.call.CallEvents.Media;
import dev.parley.events.call.CallEvents.PayloadKind;
import dev.parley.events.call.ParticipantId;
import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomId;
import dev.parley.signaling.conference.CallActions;
import dev.parley.signaling.media.TrackLayout;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the fields of one client message, refusing anything out of shape with an
 * {@link ErrorCode#INVALID} error that names the field.
 */
final class Fields {

    private static final Set<String> SOURCES = Set.of("microphone", "camera", "screen");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,32}");

    private final JsonNode message;

    Fields(JsonNode message) {
        this.message = message;
    }

    String text(String name, int maxLength) {
        JsonNode value = message.get(name);
        if (value == null || !value.isTextual()) {
            throw invalid(name, "must be a string");
        }
        if (value.asText().length() > maxLength) {
            throw invalid(name, "must have at most " + maxLength + " characters");
        }
        return value.asText();
    }

    RoomId roomId() {
        String value = text("roomId", 14);
        if (!RoomId.isWellFormed(value)) {
            throw invalid("roomId", "must look like abcd-efgh-ijkl");
        }
        return new RoomId(value);
    }

    ParticipantId participantId() {
        return participant(text("participantId", 28), "participantId");
    }

    UserId userId() {
        String value = text("userId", UserId.MAX_LENGTH);
        if (value.isBlank()) {
            throw invalid("userId", "must not be blank");
        }
        return new UserId(value);
    }

    OptionalLong optionalSeq(String name) {
        JsonNode value = message.get(name);
        if (value == null || value.isNull()) {
            return OptionalLong.empty();
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < -1) {
            throw invalid(name, "must be a stream position (an integer)");
        }
        return OptionalLong.of(value.asLong());
    }

    Media media() {
        return switch (text("media", 8)) {
            case "audio" -> Media.AUDIO;
            case "video" -> Media.VIDEO;
            default -> throw invalid("media", "must be audio or video");
        };
    }

    PayloadKind payloadKind() {
        return switch (text("kind", 20)) {
            case "mls-handshake" -> PayloadKind.MLS_HANDSHAKE;
            case "mls-welcome" -> PayloadKind.MLS_WELCOME;
            case "mls-application" -> PayloadKind.MLS_APPLICATION;
            default -> throw invalid("kind", "must be mls-handshake, mls-welcome or mls-application");
        };
    }

    /** Standard base64 (RFC 4648, Section 4) of 1 to {@link CallActions#MAX_PAYLOAD_BYTES} bytes. */
    String payloadData() {
        String data = text("data", Integer.MAX_VALUE);
        if (data.length() % 4 != 0) {
            throw invalid("data", "must be standard base64 with padding");
        }
        int decoded;
        try {
            decoded = Base64.getDecoder().decode(data).length;
        } catch (IllegalArgumentException e) {
            throw invalid("data", "must be standard base64");
        }
        if (decoded == 0 || decoded > CallActions.MAX_PAYLOAD_BYTES) {
            throw invalid("data", "must decode to 1 to " + CallActions.MAX_PAYLOAD_BYTES + " bytes");
        }
        return data;
    }

    /** The optional {@code to}: distinct participant ids, at most {@link CallActions#MAX_ADDRESSEES}. */
    List<ParticipantId> addressees() {
        JsonNode to = message.get("to");
        if (to == null || to.isNull()) {
            return List.of();
        }
        if (!to.isArray() || to.isEmpty() || to.size() > CallActions.MAX_ADDRESSEES) {
            throw invalid("to", "must be an array of 1 to " + CallActions.MAX_ADDRESSEES + " participant ids");
        }
        List<ParticipantId> addressees = new ArrayList<>(to.size());
        for (JsonNode entry : to) {
            ParticipantId participant = participant(entry.isTextual() ? entry.asText() : null, "to");
            if (!addressees.contains(participant)) {
                addressees.add(participant);
            }
        }
        return addressees;
    }

    /** Media negotiation: an SDP offer (at most 32 KiB) or an ICE candidate line. */
    String sdp() {
        return text("sdp", 32 * 1024);
    }

    /** {@code sources}: optional, at most 16 entries of mid → microphone, camera or screen. */
    Map<String, String> sources() {
        JsonNode sources = message.get("sources");
        if (sources == null || sources.isNull()) {
            return Map.of();
        }
        if (!sources.isObject() || sources.size() > 16) {
            throw invalid("sources", "must be an object of at most 16 mids");
        }
        Map<String, String> read = new LinkedHashMap<>();
        sources.fields().forEachRemaining(entry -> {
            String value = entry.getValue().asText("");
            if (entry.getKey().isEmpty() || entry.getKey().length() > 32 || !entry.getValue().isTextual()
                    || !SOURCES.contains(value)) {
                throw invalid("sources", "must map mids (1 to 32 characters) to microphone, camera or screen");
            }
            read.put(entry.getKey(), value);
        });
        return read;
    }

    /**
     * {@code region}: optional, the region the client says it is in (1 to 32 of a-z, 0-9 and
     * {@code -}), matched against the relays' {@code region} labels to place it near.
     */
    Optional<String> region() {
        JsonNode region = message.get("region");
        if (region == null || region.isNull()) {
            return Optional.empty();
        }
        if (!region.isTextual() || !REGION.matcher(region.asText()).matches()) {
            throw invalid("region", "must be 1 to 32 of a-z, 0-9 and -");
        }
        return Optional.of(region.asText());
    }

    /** {@code media-layout}'s {@code tracks}: mid (1 to 32 characters) → rendered width and height, at most 64. */
    Map<String, TrackLayout> layout() {
        JsonNode tracks = message.get("tracks");
        if (tracks == null || !tracks.isObject() || tracks.size() > 64) {
            throw invalid("tracks", "must be an object of at most 64 mids");
        }
        Map<String, TrackLayout> read = new LinkedHashMap<>();
        tracks.fields().forEachRemaining(entry -> {
            JsonNode width = entry.getValue().get("width");
            JsonNode height = entry.getValue().get("height");
            if (entry.getKey().isEmpty() || entry.getKey().length() > 32 || width == null || height == null
                    || !width.isInt() || !height.isInt() || width.asInt() < 0 || height.asInt() < 0
                    || width.asInt() > TrackLayout.MAX || height.asInt() > TrackLayout.MAX) {
                throw invalid("tracks", "must map mids (1 to 32 characters) to {width, height}, integers from 0 to "
                        + TrackLayout.MAX);
            }
            read.put(entry.getKey(), new TrackLayout(width.asInt(), height.asInt()));
        });
        return read;
    }

    void iceCandidate() {
        text("candidate", 512);
        JsonNode mid = message.get("sdpMid");
        if (mid != null && !mid.isNull() && (!mid.isTextual() || mid.asText().length() > 32)) {
            throw invalid("sdpMid", "must be a string of at most 32 characters");
        }
        JsonNode index = message.get("sdpMLineIndex");
        if (index != null && !index.isNull() && (!index.isInt() || index.asInt() < 0 || index.asInt() > 1024)) {
            throw invalid("sdpMLineIndex", "must be an integer from 0 to 1024");
        }
    }

    private static ParticipantId participant(String value, String field) {
        if (!ParticipantId.isWellFormed(value)) {
            throw invalid(field, "must hold participant ids (p- and 26 base32 letters)");
        }
        return new ParticipantId(value);
    }

    private static CallError invalid(String field, String rule) {
        return new CallError(ErrorCode.INVALID, "'" + field + "' " + rule);
    }
}
