package dev.parley.events;

/**
 * The catalogue of Kafka topics Parley's services talk over.
 *
 * <p>Topics are created explicitly (the broker runs with {@code auto.create.topics.enable=false}):
 * locally by {@code dev/stack.sh} from {@code dev/kafka/topics.conf}, in Kubernetes by the chart.
 * {@code TopicCatalogueTest} keeps that file and this enum in step, and
 * {@code docs/architecture.md} explains each topic's key, partitioning and retention.
 */
public enum Topic {

    /**
     * The system of record for rooms: every {@link dev.parley.events.room.RoomEvent}, keyed by
     * room id so that one room's events stay ordered in one partition. Compacted, so the latest
     * state of every room survives for ever while superseded states are cleaned up.
     */
    ROOMS("parley.rooms", 6, true),

    /**
     * The system of record for invite links: every {@link dev.parley.events.invite.InviteEvent},
     * keyed by invite code. Compacted like rooms: each record carries the invite's whole state.
     */
    INVITES("parley.invites", 6, true),

    /**
     * Who may join which room: every {@link dev.parley.events.admission.Admission}, keyed by
     * room and user. Compacted: the latest decision about each person survives.
     */
    ADMISSIONS("parley.admissions", 6, true),

    /**
     * The event stream of live calls: every {@link dev.parley.events.call.CallEvent}, keyed by
     * room id, so each room's events have one order that every signaling replica delivers. Kept
     * for an hour: long enough to replay what a resuming participant missed.
     */
    CALLS("parley.calls", 12, false),

    /**
     * Call-protocol connections opening and closing ({@link dev.parley.events.connection.ConnectionEvent}),
     * keyed by user, for presence. Kept for a day.
     */
    CONNECTIONS("parley.connections", 6, false),

    /**
     * Every user's latest presence ({@link dev.parley.events.presence.UserPresence}), keyed by
     * user id. Compacted: a consumer that reads it from the start knows everyone's presence.
     */
    PRESENCE("parley.presence", 6, true),

    /**
     * Rings: one user calling another into a room ({@link dev.parley.events.ring.RingEvent}),
     * keyed by ring id. Kept for an hour; a ring lasts seconds.
     */
    RINGS("parley.rings", 6, false),

    /**
     * The intake of every call's MLS group (key distribution's own log): join requests,
     * departures and submitted handshake messages, keyed by room id so that one group's records
     * have one order. Key distribution applies them in that order to decide, deterministically,
     * which Commit wins each epoch. Kept for a day, longer than any call's group lives.
     */
    GROUPS("parley.groups", 12, false);

    private final String topicName;
    private final int partitions;
    private final boolean compacted;

    Topic(String topicName, int partitions, boolean compacted) {
        this.topicName = topicName;
        this.partitions = partitions;
        this.compacted = compacted;
    }

    /** The topic's name on the broker. */
    public String topicName() {
        return topicName;
    }

    /** The partition count the topic is created with; it bounds each consumer group's parallelism. */
    public int partitions() {
        return partitions;
    }

    /** Whether the topic keeps the latest record per key ({@code cleanup.policy=compact}). */
    public boolean compacted() {
        return compacted;
    }
}
