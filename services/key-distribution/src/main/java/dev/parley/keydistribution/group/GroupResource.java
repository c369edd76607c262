package dev.parley.keydistribution.group;

import dev.parley.events.call.ParticipantId;
import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomId;
import dev.parley.keydistribution.KeyDistributionConfig;
import dev.parley.keydistribution.call.CallRoster;
import dev.parley.keydistribution.identity.Bytes;
import dev.parley.keydistribution.identity.Caller;
import dev.parley.keydistribution.identity.Device;
import dev.parley.keydistribution.identity.DeviceIds;
import dev.parley.keydistribution.identity.DeviceRegistry;
import dev.parley.keydistribution.keypackage.KeyPackageStore;
import dev.parley.keydistribution.mls.Handshake;
import dev.parley.keydistribution.mls.MlsDecoder;
import dev.parley.keydistribution.mls.MlsFormatException;
import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bouncycastle.mls.codec.MLSMessage;
import org.bouncycastle.mls.codec.WireFormat;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The Delivery Service of each call's MLS group (RFC 9420 §16.3, RFC 9750 §5): devices of the
 * call's participants join, submit Proposals and Commits, and read the group's messages in one
 * order, as a list or as a live stream (server-sent events).
 */
@Path("/api/v1/groups/{roomId}")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class GroupResource {

    /** A device of a participant asks to be in the call's group. */
    public record JoinRequest(String participantId, String deviceId) {
    }

    /** A Proposal or Commit, and for a Commit that adds members its Welcome; base64url MLS messages. */
    public record Submission(String deviceId, String message, String welcome) {
    }

    /**
     * What a join came to ({@link Verdict#CREATE} or {@link Verdict#AWAIT_WELCOME}), and the
     * device's KeyPackage supply after the claim, so that it learns when to publish more.
     */
    public record JoinAnswer(String outcome, String groupId, long epoch, KeyPackageStore.Supply keyPackages) {
    }

    /** The group as members see it. */
    public record GroupView(String groupId, long epoch, int members, boolean open, long nextIndex) {
    }

    private static final Duration ROSTER_POLL = Duration.ofMillis(50);

    private final GroupLog log;
    private final GroupStore store;
    private final GroupStreams streams;
    private final CallRoster roster;
    private final DeviceRegistry devices;
    private final KeyPackageStore keyPackages;
    private final SecurityIdentity identity;
    private final KeyDistributionConfig config;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();

    GroupResource(GroupLog log, GroupStore store, GroupStreams streams, CallRoster roster, DeviceRegistry devices,
                  KeyPackageStore keyPackages, SecurityIdentity identity, KeyDistributionConfig config) {
        this.log = log;
        this.store = store;
        this.streams = streams;
        this.roster = roster;
        this.devices = devices;
        this.keyPackages = keyPackages;
        this.identity = identity;
        this.config = config;
    }

    @GET
    public GroupView group(@PathParam("roomId") String roomId) {
        RoomId room = member(roomId);
        GroupState state = store.state(room).orElseThrow(() -> new ProblemException(Problem.of("group-not-found",
                "No group", Response.Status.NOT_FOUND, "No group was opened for this room's call; join first.")));
        return new GroupView(state.groupId(), state.epoch(), state.members(), state.open(), state.nextIndex());
    }

    /**
     * Joins the call's group: the first device to ask opens it and creates it at epoch 0; any
     * later one is proposed for addition with a KeyPackage claimed from its own supply, and
     * waits for its Welcome on the group's messages.
     */
    @POST
    @Path("/joins")
    @Consumes(MediaType.APPLICATION_JSON)
    public JoinAnswer join(@PathParam("roomId") String roomId, JoinRequest request) {
        RoomId room = room(roomId);
        if (request == null || !ParticipantId.isWellFormed(request.participantId())) {
            throw invalid("invalid-join", "The body must be {\"participantId\": \"p-...\", \"deviceId\": \"d-...\"}.");
        }
        Caller caller = Caller.of(identity);
        Device device = ownDevice(request.deviceId(), caller);
        if (device.roomId() != null && !device.roomId().equals(room)) {
            throw new ProblemException(Problem.of("device-not-for-room", "Device scoped to another room",
                    Response.Status.FORBIDDEN, "A guest's device can join only its own room's group."));
        }
        ParticipantId participant = new ParticipantId(request.participantId());
        awaitInCall(() -> roster.holder(room, participant).filter(caller.userId()::equals).isPresent());
        KeyPackageStore.Claimed keyPackage = keyPackages.claim(device.deviceId()).orElseThrow(() -> new ProblemException(
                Problem.of("no-key-package", "No KeyPackage left", Response.Status.CONFLICT,
                        "Upload KeyPackages for this device before joining.")));
        byte[] groupId = new byte[config.groups().groupIdBytes()];
        random.nextBytes(groupId);
        Verdict verdict = log.submit(new GroupRecord.JoinRequested(room, participant, caller.userId(), device.deviceId(),
                device.signatureKey(), keyPackage.keyPackage(), Bytes.encode(groupId), clock.instant()));
        return new JoinAnswer(verdict.outcome(), verdict.groupId(), verdict.epoch(), keyPackages.supply(device.deviceId()));
    }

    /**
     * Submits a Proposal or a Commit. The first Commit for an epoch in the log wins; any other
     * gets 409 {@code stale-epoch}, and its sender processes the winner and tries again.
     */
    @POST
    @Path("/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response submit(@PathParam("roomId") String roomId, Submission submission) {
        RoomId room = room(roomId);
        if (submission == null || submission.message() == null) {
            throw invalid("invalid-submission", "The body must be {\"deviceId\": ..., \"message\": ..., \"welcome\": ...}.");
        }
        Device device = ownDevice(submission.deviceId(), Caller.of(identity));
        int size = submission.message().length() + (submission.welcome() == null ? 0 : submission.welcome().length());
        if (size * 3L / 4 > config.groups().maxMessageBytes()) {
            throw new ProblemException(Problem.of("message-too-large", "Message too large", Response.Status.REQUEST_ENTITY_TOO_LARGE,
                    "A message and its Welcome may be at most " + config.groups().maxMessageBytes() + " bytes."));
        }
        checkFraming(submission);
        Verdict verdict = log.submit(new GroupRecord.HandshakeSubmitted(room, device.deviceId(),
                submission.message(), submission.welcome(), Instant.now(clock)));
        return switch (verdict.outcome()) {
            case Verdict.ACCEPTED -> Response.status(Response.Status.CREATED).entity(verdict).build();
            case Verdict.STALE_EPOCH -> throw refused(verdict, Response.Status.CONFLICT, "Stale epoch");
            case Verdict.NOT_YOUR_LEAF -> throw refused(verdict, Response.Status.FORBIDDEN, "Not your leaf");
            case Verdict.NO_GROUP -> throw refused(verdict, Response.Status.NOT_FOUND, "No group");
            case Verdict.MALFORMED, Verdict.WRONG_GROUP -> throw refused(verdict, Response.Status.BAD_REQUEST, "Not for this group");
            default -> throw refused(verdict, Response.Status.CONFLICT, "Refused by the Delivery Service");
        };
    }

    /** The group's messages after {@code after}, or all of them if {@code group} is not the current group. */
    @GET
    @Path("/messages")
    public List<GroupMessage> messages(@PathParam("roomId") String roomId, @QueryParam("group") String groupId,
                                       @QueryParam("after") @DefaultValue("-1") long after) {
        RoomId room = member(roomId);
        Optional<GroupState> state = store.state(room);
        if (state.isEmpty()) {
            return List.of();
        }
        return store.messages(room, state.get().groupId().equals(groupId) ? after : -1);
    }

    /** The same as a live stream of server-sent events, one {@link GroupMessage} each. */
    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Blocking
    public Multi<GroupMessage> stream(@PathParam("roomId") String roomId, @QueryParam("group") String groupId,
                                      @QueryParam("after") @DefaultValue("-1") long after) {
        return streams.open(member(roomId), Optional.ofNullable(groupId), after);
    }

    private void checkFraming(Submission submission) {
        try {
            Handshake.parse(Bytes.decode(submission.message()).orElseThrow(() -> new MlsFormatException("message is not base64url")));
            if (submission.welcome() != null) {
                MLSMessage welcome = MlsDecoder.decode(Bytes.decode(submission.welcome())
                        .orElseThrow(() -> new MlsFormatException("welcome is not base64url")));
                if (welcome.wireFormat != WireFormat.mls_welcome) {
                    throw new MlsFormatException("welcome is a " + welcome.wireFormat + ", not a Welcome");
                }
            }
        } catch (MlsFormatException e) {
            throw invalid(Verdict.MALFORMED, e.getMessage());
        }
    }

    /** The room, if the caller is in its call (waiting briefly for signaling's report of a fresh join). */
    private RoomId member(String roomId) {
        RoomId room = room(roomId);
        UserId caller = Caller.of(identity).userId();
        awaitInCall(() -> roster.includes(room, caller));
        return room;
    }

    private RoomId room(String roomId) {
        if (!RoomId.isWellFormed(roomId)) {
            throw invalid("malformed-room-id", "A room id looks like abcd-efgh-ijkl.");
        }
        RoomId room = new RoomId(roomId);
        if (!Caller.of(identity).mayActIn(room)) {
            throw new ProblemException(Problem.of("not-your-room", "Not your room", Response.Status.FORBIDDEN,
                    "A guest may act only in the room they were let into."));
        }
        return room;
    }

    private void awaitInCall(java.util.function.BooleanSupplier inCall) {
        long deadline = System.nanoTime() + config.groups().callMembershipWait().toNanos();
        while (!inCall.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new ProblemException(Problem.of("not-in-call", "Not in the call", Response.Status.FORBIDDEN,
                        "Only participants of the room's call may use its group; join the call first."));
            }
            try {
                Thread.sleep(ROSTER_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private Device ownDevice(String deviceId, Caller caller) {
        Device device = devices.find(DeviceIds.parse(deviceId)).orElseThrow(() -> DeviceIds.notFound(deviceId));
        if (!device.ownedBy(caller.userId())) {
            throw DeviceIds.notYours();
        }
        return device;
    }

    private static ProblemException invalid(String kind, String detail) {
        return new ProblemException(Problem.of(kind, "Invalid request", Response.Status.BAD_REQUEST, detail));
    }

    private static ProblemException refused(Verdict verdict, Response.Status status, String title) {
        return new ProblemException(Problem.of(verdict.outcome(), title, status, verdict.detail()
                + " (group epoch " + verdict.epoch() + ")"));
    }
}
