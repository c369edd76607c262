package dev.parley.bench.common;

/**
 * The phases of one run, each reported however it ends: a phase that fails is reported with its
 * stack trace and counted, and the next one still runs, so one broken phase does not cost the
 * figures of the others. Any failure makes the bench exit with status 1.
 */
public final class Phases {

    /** One phase's work. */
    @FunctionalInterface
    public interface Phase {
        void run() throws Exception;
    }

    private final Report report;
    private int failures;

    Phases(Report report) {
        this.report = report;
    }

    /**
     * Runs one phase. It may end {@link NotMeasured not measured}; any other exception is
     * reported as the phase's failure and does not propagate.
     */
    public void run(Phase phase) {
        try {
            phase.run();
        } catch (NotMeasured e) {
            report.line("NOT MEASURED: %s", e.getMessage());
        } catch (Exception e) {
            failures++;
            report.line("FAILED: %s", e);
            e.printStackTrace();
        }
    }

    /** 0 when no phase failed, else 1. */
    int exitStatus() {
        return failures == 0 ? 0 : 1;
    }
}
