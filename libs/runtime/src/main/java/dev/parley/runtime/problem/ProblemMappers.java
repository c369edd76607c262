package dev.parley.runtime.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Comparator;
import java.util.List;

/**
 * Turns every failure of the REST API into a {@link Problem}, so clients always get a typed error
 * and never a stack trace or an empty body.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<Problem.Violation> violations = e.getConstraintViolations().stream()
                .map(v -> new Problem.Violation(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.Violation::field))
                .toList();
        return Problem.of("invalid-request", "The request is not valid", Response.Status.BAD_REQUEST,
                        "See violations for the fields to correct.")
                .withViolations(violations)
                .toResponse();
    }

    /**
     * Covers syntax errors and values of the wrong type; {@link MismatchedInputException} is named
     * as well because Quarkus maps it itself (with a plain JSON body) unless a closer mapper exists.
     */
    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class})
    public Response unreadable(JsonProcessingException e) {
        return Problem.of("malformed-body", "The body is not valid JSON for this request",
                Response.Status.BAD_REQUEST, e.getOriginalMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response domain(ProblemException e) {
        return e.problem().toResponse();
    }

    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
    public Response unauthenticated() {
        return Response.fromResponse(Problem.of("unauthenticated", "Authentication required",
                                Response.Status.UNAUTHORIZED,
                                "Send a valid, unexpired bearer token issued by Parley's identity provider.")
                        .toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.of("forbidden", "Not allowed", Response.Status.FORBIDDEN,
                "Your account lacks the role this action needs.").toResponse();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            // Quarkus wraps some body-reading failures (e.g. a value a constructor rejects).
            return unreadable(unreadable);
        }
        Response.StatusType status = e.getResponse().getStatusInfo();
        Response.Status known = Response.Status.fromStatusCode(status.getStatusCode());
        if (known == null) {
            known = Response.Status.BAD_REQUEST;
        }
        return Problem.of("http-" + known.getStatusCode(), known.getReasonPhrase(), known,
                status.getReasonPhrase()).toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected failure while serving a request", e);
        return Problem.of("internal", "Internal error", Response.Status.INTERNAL_SERVER_ERROR,
                "The server failed to handle this request; it has been logged.").toResponse();
    }

    private static String fieldOf(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        // "create.request.name" -> "name": clients know their own body, not our method names.
        int lastDot = path.lastIndexOf('.');
        return lastDot < 0 ? path : path.substring(lastDot + 1);
    }
}
