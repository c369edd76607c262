package dev.parley.mediarelay.transport;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.net.InetSocketAddress;

/** The relay is ready for calls only while its media port is bound. */
@Readiness
@ApplicationScoped
public class MediaPortCheck implements HealthCheck {

    private final MediaSocket socket;

    MediaPortCheck(MediaSocket socket) {
        this.socket = socket;
    }

    @Override
    public HealthCheckResponse call() {
        InetSocketAddress bound = socket.localAddress();
        return HealthCheckResponse.named("Media UDP port")
                .status(bound != null)
                .withData("address", bound == null ? "unbound" : bound.toString())
                .build();
    }
}
