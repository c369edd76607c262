package dev.parley.mediarelay.session;

/**
 * Signaling moved media of {@code room} off another relay, {@code relayId} (it died or drains):
 * whatever this relay shares with that relay for the room (a cascade link and the stand-ins of its
 * participants) is over. Fired by {@link CallDepartures} from {@code media-restart}.
 */
public record MediaMovedOff(RoomId room, String relayId) {
}
