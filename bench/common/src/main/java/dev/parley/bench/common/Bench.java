package dev.parley.bench.common;

import java.util.Map;

/**
 * What a bench brings to a {@link BenchRun}: how its replicas are configured, what its results
 * say about the run besides the machine, and its phases. Everything around them (the replicas'
 * lifecycle, failing phases, the results file, the exit status) is the same for every bench.
 */
public interface Bench {

    /**
     * The bench's own settings for every replica, in the order the header lists them: added to
     * the stack's ({@link StackEnvironment}), and overridden by {@code --replica-env}.
     */
    Map<String, String> settings();

    /** The bench's lines of the header, after the title and the machine; {@code environment} is every replica's. */
    void header(Report report, Map<String, String> environment);

    /**
     * Prepares what the replicas need, {@link Replicas#start() starts} them, runs each phase
     * through {@code phases}, and reports what is left to say while they still run; the replicas
     * are stopped afterwards.
     */
    void measure(Replicas replicas, Report report, Phases phases) throws Exception;
}
