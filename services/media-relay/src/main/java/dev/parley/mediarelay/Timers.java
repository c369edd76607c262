package dev.parley.mediarelay;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The relay's periodic work (heartbeat, NACK rounds, layer selection, link feeds, ...) each runs on
 * a single named daemon thread of its own, so one slow task never delays another's schedule and
 * none keeps the JVM alive at shutdown.
 */
public final class Timers {

    private Timers() {
    }

    /** A single-thread scheduler whose daemon thread is called {@code name}. */
    public static ScheduledExecutorService daemon(String name) {
        return Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
    }
}
