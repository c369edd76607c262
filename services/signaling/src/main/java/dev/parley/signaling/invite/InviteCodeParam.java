package dev.parley.signaling.invite;

import dev.parley.events.invite.InviteCode;
import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import jakarta.ws.rs.core.Response;

/** Reads an invite code from a URL path, answering {@code 400 malformed-invite-code} when it is not one. */
final class InviteCodeParam {

    private InviteCodeParam() {
    }

    static InviteCode parse(String candidate) {
        if (!InviteCode.isWellFormed(candidate)) {
            throw new ProblemException(Problem.of("malformed-invite-code", "Malformed invite code",
                    Response.Status.BAD_REQUEST, "An invite code has 22 base64url characters."));
        }
        return new InviteCode(candidate);
    }
}
