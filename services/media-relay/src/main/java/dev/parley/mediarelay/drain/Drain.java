package dev.parley.mediarelay.drain;

import jakarta.inject.Singleton;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this relay is draining: it is going away (an upgrade, a node drain), so it takes no new
 * participants while the calls it carries go on ({@link DrainReadiness} turns readiness DOWN, so
 * nothing routes new work here; participants it already carries may still renegotiate).
 */
@Singleton
public class Drain {

    private final AtomicBoolean draining = new AtomicBoolean();

    /** Starts draining; returns whether it had started before. */
    public boolean start() {
        return draining.getAndSet(true);
    }

    public boolean draining() {
        return draining.get();
    }
}
