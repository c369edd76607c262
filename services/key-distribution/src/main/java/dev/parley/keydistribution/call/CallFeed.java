package dev.parley.keydistribution.call;

import dev.parley.events.Topic;
import dev.parley.events.call.CallEvent;
import dev.parley.events.call.CallEvents.CallEnded;
import dev.parley.events.call.CallEvents.ParticipantJoined;
import dev.parley.events.call.CallEvents.ParticipantLeft;
import dev.parley.keydistribution.group.GroupRecord;
import dev.parley.runtime.kafka.EventLog;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.List;

/**
 * Signaling's room stream ({@code parley.calls}) drives the groups: a participant who leaves,
 * is removed or times out (after the resume grace period, so a reconnect never costs an epoch)
 * becomes a {@link GroupRecord.MemberDeparted} on the group log, and an ended call a
 * {@link GroupRecord.CallClosed}. The group log turns them into external Remove proposals, so
 * keys rotate even when a leaver crashed and said nothing. One replica of the consumer group
 * handles each event.
 */
@ApplicationScoped
public class CallFeed {

    private final CallRoster roster;
    private final EventLog log;

    CallFeed(CallRoster roster, EventLog log) {
        this.roster = roster;
        this.log = log;
    }

    @Incoming("calls")
    @Blocking(ordered = true)
    public void on(List<CallEvent> batch) {
        batch.forEach(this::apply);
    }

    private void apply(CallEvent event) {
        if (event instanceof ParticipantJoined joined) {
            roster.joined(joined.roomId(), joined.participant().participantId(), joined.participant().userId());
        } else if (event instanceof ParticipantLeft left) {
            roster.left(left.roomId(), left.participantId());
            log.append(Topic.GROUPS, left.roomId().value(),
                    new GroupRecord.MemberDeparted(left.roomId(), left.participantId(), left.occurredAt()));
        } else if (event instanceof CallEnded ended) {
            roster.ended(ended.roomId());
            log.append(Topic.GROUPS, ended.roomId().value(), new GroupRecord.CallClosed(ended.roomId(), ended.occurredAt()));
        }
    }
}
