package dev.parley.client.kd;

/**
 * The key-distribution service refused a request: its HTTP status and the problem type (the
 * last segment of the RFC 9457 problem's {@code type}, e.g. {@code stale-epoch}).
 */
public class KeyDistributionException extends RuntimeException {

    private final int status;
    private final String problem;

    public KeyDistributionException(int status, String problem, String detail) {
        super(status + " " + problem + ": " + detail);
        this.status = status;
        this.problem = problem;
    }

    public int status() {
        return status;
    }

    public String problem() {
        return problem;
    }

    public boolean isStaleEpoch() {
        return "stale-epoch".equals(problem);
    }
}
