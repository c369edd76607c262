package dev.parley.signaling.room;

import dev.parley.events.room.RoomId;
import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import jakarta.ws.rs.core.Response;

/** Reads a room id from a URL path, answering {@code 400 malformed-room-id} when it is not one. */
public final class RoomIdParam {

    private RoomIdParam() {
    }

    public static RoomId parse(String candidate) {
        if (!RoomId.isWellFormed(candidate)) {
            throw new ProblemException(Problem.of("malformed-room-id", "Malformed room id",
                    Response.Status.BAD_REQUEST, "A room id looks like abcd-efgh-ijkl."));
        }
        return new RoomId(candidate);
    }
}
