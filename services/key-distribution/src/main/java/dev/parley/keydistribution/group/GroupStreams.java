package dev.parley.keydistribution.group;

import dev.parley.events.room.RoomId;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live delivery of a group's messages to the members connected to this replica: each stream
 * gets every message after the one it asked to start from, gap-free and in index order, first
 * from the store, then as records are applied. When the room's group is replaced by a new one
 * (the call ended and began again) a stream continues with the new group from its first message.
 */
@ApplicationScoped
public class GroupStreams {

    private final GroupStore store;
    private final Map<RoomId, Set<Stream>> byRoom = new ConcurrentHashMap<>();

    GroupStreams(GroupStore store, MeterRegistry metrics) {
        this.store = store;
        Gauge.builder("parley.kd.group.streams", this, GroupStreams::streams)
                .description("Group message streams open on this replica").register(metrics);
    }

    /** Messages of {@code room}'s group after {@code after}, if the client's {@code groupId} is the current one. */
    public Multi<GroupMessage> open(RoomId room, Optional<String> groupId, long after) {
        return Multi.createFrom().<GroupMessage>emitter(emitter -> {
            Stream stream = new Stream(groupId.orElse(null), groupId.isPresent() ? after : -1, emitter);
            byRoom.computeIfAbsent(room, r -> ConcurrentHashMap.newKeySet()).add(stream);
            emitter.onTermination(() -> byRoom.computeIfPresent(room, (r, streams) -> {
                streams.remove(stream);
                return streams.isEmpty() ? null : streams;
            }));
            catchUp(room, Set.of(stream));
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** A record of {@code room} was applied: pass on what is new. */
    void changed(RoomId room) {
        Set<Stream> streams = byRoom.get(room);
        if (streams != null) {
            catchUp(room, streams);
        }
    }

    /**
     * Reads the group and its new messages once, from the earliest position any of {@code streams}
     * needs, and hands each stream what it has not had: one Redis read per change, however many
     * members this replica serves.
     */
    private void catchUp(RoomId room, Set<Stream> streams) {
        Optional<GroupState> state = store.state(room);
        if (state.isEmpty()) {
            return;
        }
        String groupId = state.get().groupId();
        long from = streams.stream().mapToLong(stream -> stream.cursorIn(groupId)).min().orElse(-1);
        List<GroupMessage> fresh = store.messages(room, from);
        streams.forEach(stream -> stream.deliver(groupId, fresh));
    }

    /** How many streams this replica serves. */
    private int streams() {
        return byRoom.values().stream().mapToInt(Set::size).sum();
    }

    private static final class Stream {
        private final MultiEmitter<? super GroupMessage> emitter;
        private String groupId;
        private long cursor;

        Stream(String groupId, long cursor, MultiEmitter<? super GroupMessage> emitter) {
            this.groupId = groupId;
            this.cursor = cursor;
            this.emitter = emitter;
        }

        /** The last index this stream had of {@code current}; -1 if it followed another group. */
        synchronized long cursorIn(String current) {
            return current.equals(groupId) ? cursor : -1;
        }

        /** Emits the messages of {@code current} after this stream's cursor, in order. */
        synchronized void deliver(String current, List<GroupMessage> messages) {
            if (!current.equals(groupId)) {
                groupId = current;
                cursor = -1;
            }
            for (GroupMessage message : messages) {
                if (message.groupId().equals(groupId) && message.index() > cursor && !emitter.isCancelled()) {
                    emitter.emit(message);
                    cursor = message.index();
                }
            }
        }
    }
}
