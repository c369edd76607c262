package dev.parley.bench.keydistribution;

import dev.parley.client.kd.CallKeys;
import dev.parley.client.kd.KeyDistributionClient;
import dev.parley.client.kd.Wire;
import dev.parley.client.mls.DeviceKeys;
import dev.parley.client.mls.LeafIndex;
import dev.parley.events.call.ParticipantId;
import dev.parley.events.room.RoomId;

import dev.parley.bench.common.Replica;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * One participant of a bench call on one device: its device registered with the service (Parley
 * CA certificate), then, once it {@link #join joins}, a {@link CallKeys}: the client library's
 * membership of the call's group, which follows the group's stream, processes every message and
 * commits the service's proposals by rank, as an application would.
 */
final class Member implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    final People.Person person;
    final ParticipantId participant = ParticipantId.random(RANDOM);
    private final KeyDistributionClient client;
    private final DeviceKeys keys;
    private final Wire.Device device;
    private volatile CallKeys call;

    private Member(People.Person person, KeyDistributionClient client, DeviceKeys keys, Wire.Device device) {
        this.person = person;
        this.client = client;
        this.keys = keys;
        this.device = device;
    }

    /** Generates a device key and registers it; the service answers with the device's certificate. */
    static Member register(People.Person person, KeyDistributionClient client) {
        DeviceKeys keys = DeviceKeys.generate();
        return new Member(person, client, keys, client.register(keys));
    }

    /**
     * {@code count} members, the demo users in turn, clients of {@code replica}, their devices
     * registered {@code pool}'s threads at a time.
     */
    static List<Member> registerAll(People people, Replica replica, int count, ExecutorService pool) throws Exception {
        List<Future<Member>> registering = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            People.Person person = people.person(i);
            registering.add(pool.submit(() -> register(person, people.client(person, replica))));
        }
        List<Member> members = new ArrayList<>();
        for (Future<Member> member : registering) {
            members.add(member.get());
        }
        return members;
    }

    /**
     * Signaling's {@code ParticipantJoined} for this participant, then what the application does
     * on joining: publish KeyPackages, follow the group's stream, ask to join. Returns once the
     * service has answered the join (the Welcome comes later, on the stream), or at once with
     * the group created when this member is the call's first.
     */
    void join(CallTopic calls, RoomId room, int keyPackages) {
        calls.joined(room, participant, person.userId());
        joinGroup(room, keyPackages);
    }

    /** The join without the event: for when the event is published and timed separately. */
    void joinGroup(RoomId room, int keyPackages) {
        call = CallKeys.join(client, keys, device, room.value(), participant.value(), keyPackages);
    }

    CallKeys call() {
        return call;
    }

    /** This member's leaf in the group's tree; null before it has the group. */
    LeafIndex leaf() {
        CallKeys keys = call;
        if (keys == null) {
            return null;
        }
        synchronized (keys) { // CallKeys guards its member with its own monitor.
            return keys.member() == null ? null : keys.member().leafIndex();
        }
    }

    boolean joined() {
        return call != null && call.joined();
    }

    long epoch() {
        return call == null ? -1 : call.epoch();
    }

    KeyDistributionClient client() {
        return client;
    }

    @Override
    public void close() {
        if (call != null) {
            call.close();
        }
    }
}
