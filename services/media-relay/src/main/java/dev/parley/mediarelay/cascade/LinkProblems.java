package dev.parley.mediarelay.cascade;

import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import jakarta.ws.rs.core.Response;

/** The link API's typed refusals (RFC 9457 problem bodies). */
final class LinkProblems {

    private LinkProblems() {
    }

    /** 400 {@code invalid-link}: a field is out of shape beyond what its constraints say. */
    static ProblemException invalid(String detail) {
        return new ProblemException(Problem.of("invalid-link", "Invalid link request", Response.Status.BAD_REQUEST,
                detail));
    }

    /** 404 {@code room-not-here}: no participant of the room is on this relay, so there is nothing to link. */
    static ProblemException roomNotHere(String room) {
        return new ProblemException(Problem.of("room-not-here", "Room not on this relay", Response.Status.NOT_FOUND,
                "no participant of room " + room + " is on this relay"));
    }

    /** 404 {@code no-such-link}: the relay has no link with that relay for the room (it restarted): open one. */
    static ProblemException noSuchLink(String relayId) {
        return new ProblemException(Problem.of("no-such-link", "No such link", Response.Status.NOT_FOUND,
                "this relay has no link with " + relayId + " for the room; open one"));
    }

    /** 409 {@code ssrc-conflict}: a linked track's SSRC is already published in the room here. */
    static ProblemException conflict(String detail) {
        return new ProblemException(Problem.of("ssrc-conflict", "SSRC conflict", Response.Status.CONFLICT, detail));
    }

    /** 400 {@code self-link}: a relay cannot link with itself. */
    static ProblemException selfLink() {
        return new ProblemException(Problem.of("self-link", "Link with itself", Response.Status.BAD_REQUEST,
                "the offer names this relay as its sender"));
    }
}
