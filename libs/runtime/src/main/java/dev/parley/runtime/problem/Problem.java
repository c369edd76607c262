package dev.parley.runtime.problem;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.List;

/**
 * An error answer in the form of RFC 9457 (Problem Details for HTTP APIs), served as
 * {@code application/problem+json}. {@code type} is a stable URI per error kind that clients
 * switch on; {@code title} is its short human summary; {@code detail} explains this occurrence.
 *
 * @param violations for invalid input, one entry per offending field
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, List<Violation> violations,
                      @JsonIgnore Long retryAfterSeconds) {

    public static final MediaType MEDIA_TYPE = new MediaType("application", "problem+json");
    private static final String TYPE_BASE = "https://parley.dev/problems/";

    /** One invalid field: where it is and what is wrong with it. */
    public record Violation(String field, String message) {
    }

    public static Problem of(String kind, String title, Response.Status status, String detail) {
        return new Problem(URI.create(TYPE_BASE + kind), title, status.getStatusCode(), detail, null, null);
    }

    public Problem withViolations(List<Violation> fieldViolations) {
        return new Problem(type, title, status, detail, fieldViolations, retryAfterSeconds);
    }

    /** Adds a {@code Retry-After} header (RFC 9110, Section 10.2.3) to the answer. */
    public Problem withRetryAfter(long seconds) {
        return new Problem(type, title, status, detail, violations, seconds);
    }

    public Response toResponse() {
        Response.ResponseBuilder response = Response.status(status).type(MEDIA_TYPE).entity(this);
        if (retryAfterSeconds != null) {
            response.header("Retry-After", retryAfterSeconds);
        }
        return response.build();
    }
}
