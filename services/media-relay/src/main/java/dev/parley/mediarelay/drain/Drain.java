package dev.parley.mediarelay.drain;

import jakarta.enterprise.event.Event;
import jakarta.inject.Singleton;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this relay is draining: it is going away (an upgrade, a node drain), so it takes no new
 * participants while the calls it carries go on ({@link DrainReadiness} turns readiness DOWN, so
 * nothing routes new work here; participants it already carries may still renegotiate).
 */
@Singleton
public class Drain {

    /** Fired once, when draining starts: the relay's registration says so at once (RelayHeartbeat). */
    public record Started() {
    }

    private final AtomicBoolean draining = new AtomicBoolean();
    private final Event<Started> started;

    Drain(Event<Started> started) {
        this.started = started;
    }

    /** Starts draining; returns whether it had started before. */
    public boolean start() {
        boolean before = draining.getAndSet(true);
        if (!before) {
            started.fire(new Started());
        }
        return before;
    }

    public boolean draining() {
        return draining.get();
    }
}
