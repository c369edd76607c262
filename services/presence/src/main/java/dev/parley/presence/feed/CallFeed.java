package dev.parley.presence.feed;

import dev.parley.events.call.CallEvent;
import dev.parley.events.call.CallEvents.CallEnded;
import dev.parley.events.call.CallEvents.ParticipantJoined;
import dev.parley.events.call.CallEvents.ParticipantLeft;
import dev.parley.events.identity.UserId;
import dev.parley.presence.state.PresenceStore;
import dev.parley.presence.state.PresenceStore.Change;
import dev.parley.presence.state.PresenceUpdates;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.List;

/**
 * Signaling's room stream ({@code parley.calls}): who is in which call. A participant whose
 * connection dropped stays in the call until signaling says they left (after the resume grace
 * period), so a resumed participant never flickers out of their call.
 */
@ApplicationScoped
public class CallFeed {

    private final PresenceStore store;
    private final PresenceUpdates updates;

    CallFeed(PresenceStore store, PresenceUpdates updates) {
        this.store = store;
        this.updates = updates;
    }

    /**
     * Takes the stream in batches: most of its records are payloads presence skips, and a batch
     * costs one hand-over instead of one per record.
     */
    @Incoming("calls")
    @Blocking(ordered = true)
    public void on(List<CallEvent> batch) {
        batch.forEach(this::apply);
    }

    private void apply(CallEvent event) {
        if (event instanceof ParticipantJoined joined) {
            UserId user = joined.participant().userId();
            updates.apply(user, Change.joinedCall(user, joined.roomId(), joined.participant().participantId(),
                    joined.participant().joinedAt()));
        } else if (event instanceof ParticipantLeft left) {
            updates.apply(left.userId(), Change.leftCall(left.userId(), left.roomId(), left.participantId()));
        } else if (event instanceof CallEnded ended) {
            store.callEnded(ended.roomId()).forEach(updates::refresh);
        }
    }
}
