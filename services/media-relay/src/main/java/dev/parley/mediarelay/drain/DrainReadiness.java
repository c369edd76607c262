package dev.parley.mediarelay.drain;

import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness is DOWN while the relay drains: it accepts no new participants. */
@Readiness
@Singleton
public class DrainReadiness implements HealthCheck {

    private final Drain drain;

    DrainReadiness(Drain drain) {
        this.drain = drain;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("accepting participants").status(!drain.draining()).build();
    }
}
