package dev.parley.runtime.problem;

/**
 * A failure the API reports on purpose, carrying the {@link Problem} clients receive.
 */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.title() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
