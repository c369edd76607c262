package dev.parley.mediarelay.speaker;

import dev.parley.events.Topic;
import dev.parley.events.call.CallEvents.DominantSpeakerChanged;
import dev.parley.events.call.ParticipantId;
import dev.parley.mediarelay.cascade.Links;
import dev.parley.mediarelay.placement.RelayHeartbeat;
import dev.parley.mediarelay.rtp.RtpHeader;
import dev.parley.mediarelay.session.RoomId;
import dev.parley.mediarelay.session.Session;
import dev.parley.mediarelay.session.SessionRegistry;
import dev.parley.runtime.kafka.EventLog;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Tells a call whose voice dominates it: the audio level each participant's audio carries in its
 * RFC 6464 header extension (the payload stays encrypted) feeds the room's {@link DominantSpeaker},
 * and each change goes onto the room stream as {@code dominant-speaker}, which signaling delivers
 * to everyone in the call. A room that spans several relays is heard by each of them (the other
 * relays' participants through their stand-ins); only one of them announces
 * ({@link Links#announcesSpeakers}). Publishing runs on a thread of its own: the media thread never waits
 * for the broker.
 */
@Singleton
public class Speakers {

    private final EventLog log;
    private final SessionRegistry sessions;
    private final Links links;
    private final RelayHeartbeat heartbeat;
    private final Map<RoomId, DominantSpeaker<ParticipantId>> rooms = new ConcurrentHashMap<>();
    private final ExecutorService publisher = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "dominant-speaker");
        thread.setDaemon(true);
        return thread;
    });

    Speakers(EventLog log, SessionRegistry sessions, Links links, RelayHeartbeat heartbeat) {
        this.log = log;
        this.links = links;
        this.heartbeat = heartbeat;
        this.sessions = sessions;
        sessions.onClose(this::forget);
    }

    /**
     * Reads the level of one unprotected audio packet published by {@code session}, whose
     * audio-level extension has id {@code levelId} (RFC 6464).
     */
    public void onAudio(Session session, int levelId, byte[] rtp, int offset, int length) {
        Optional<ParticipantId> participant = session.participant();
        Optional<RoomId> room = session.room();
        if (participant.isEmpty() || room.isEmpty()) {
            return;
        }
        int level = RtpHeader.extensionByte(rtp, offset, length, levelId);
        if (level < 0) {
            return;
        }
        DominantSpeaker<ParticipantId> speakers = rooms.get(room.get());
        if (speakers == null) {
            // Once per room: only the rooms of calls (signaling's ids) have a room stream to tell.
            if (!dev.parley.events.room.RoomId.isWellFormed(room.get().value())) {
                return;
            }
            speakers = rooms.computeIfAbsent(room.get(), r -> new DominantSpeaker<>());
        }
        Optional<ParticipantId> changed;
        synchronized (speakers) {
            changed = speakers.onLevel(participant.get(), AudioLevel.fromByte(level), System.nanoTime());
        }
        changed.filter(dominant -> links.announcesSpeakers(room.get(), heartbeat.id()))
                .ifPresent(dominant -> publisher.execute(() -> log.publish(Topic.CALLS, room.get().value(),
                new DominantSpeakerChanged(new dev.parley.events.room.RoomId(room.get().value()), dominant,
                        Instant.now()))));
    }

    /** Whose voice dominates {@code room} now, if anyone's. */
    public Optional<ParticipantId> dominant(RoomId room) {
        DominantSpeaker<ParticipantId> speakers = rooms.get(room);
        if (speakers == null) {
            return Optional.empty();
        }
        synchronized (speakers) {
            return speakers.dominant();
        }
    }

    /** A closed session speaks no more; a room without sessions here needs no detector. */
    private void forget(Session closed) {
        if (closed.room().isEmpty() || closed.participant().isEmpty()) {
            return;
        }
        RoomId room = closed.room().get();
        DominantSpeaker<ParticipantId> speakers = rooms.get(room);
        if (speakers != null) {
            synchronized (speakers) {
                speakers.remove(closed.participant().get());
            }
        }
        if (sessions.inRoom(room).isEmpty()) {
            rooms.remove(room);
        }
    }

    void stop(@Observes ShutdownEvent stopping) {
        publisher.shutdownNow();
    }
}
