package dev.parley.mediarelay.session;

import dev.parley.mediarelay.sdp.SdpOfferException;
import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import jakarta.ws.rs.core.Response;

import java.util.Locale;

/** The relay's typed refusals of session requests (RFC 9457 problem bodies), shared by both session APIs. */
final class SessionProblems {

    private SessionProblems() {
    }

    /** 400 {@code invalid-session-offer}: ids, sources or transport fields out of shape. */
    static ProblemException invalid(String detail) {
        return new ProblemException(Problem.of("invalid-session-offer", "Invalid session offer",
                Response.Status.BAD_REQUEST, detail));
    }

    /** 400 {@code invalid-sdp-offer}, the detail starting with the reason (e.g. {@code no-bundle}). */
    static ProblemException invalidSdp(SdpOfferException e) {
        return new ProblemException(Problem.of("invalid-sdp-offer", "Invalid SDP offer", Response.Status.BAD_REQUEST,
                e.reason().name().toLowerCase(Locale.ROOT).replace('_', '-') + ": " + e.getMessage()));
    }

    /** 409 {@code ssrc-conflict}: another session of the room publishes that SSRC. */
    static ProblemException conflict(SessionRegistry.SsrcConflictException e) {
        return new ProblemException(Problem.of("ssrc-conflict", "SSRC conflict", Response.Status.CONFLICT,
                e.getMessage()));
    }

    /** 503 {@code relay-full}: signaling should place the participant on another relay. */
    static ProblemException full() {
        return new ProblemException(Problem.of("relay-full", "Relay full", Response.Status.SERVICE_UNAVAILABLE,
                "this relay holds its maximum number of sessions; place the participant on another relay"));
    }

    /** 503 {@code relay-draining}: this relay is going away and takes no new rooms. */
    static ProblemException draining() {
        return new ProblemException(Problem.of("relay-draining", "Relay draining", Response.Status.SERVICE_UNAVAILABLE,
                "this relay is draining before it stops; place the participant on another relay"));
    }

    /** The room a request names, or 400. */
    static RoomId room(String roomId) {
        try {
            return new RoomId(roomId);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }
}
