package dev.parley.mediarelay;

import dev.parley.media.srtp.SrtpWarmUp;
import dev.parley.mediarelay.ice.IceLite;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

/**
 * Does the media path's slow first-time work while the relay starts, before it registers for
 * placement: jitsi-srtp's choice of AES implementations (seconds of CPU, {@link SrtpWarmUp}) and
 * ice4j's STUN codec and configuration ({@link IceLite#warmUp}). Otherwise they run on the DTLS and
 * media threads of the relay's first call, and in a failover the survivor's first call is every
 * moved call at once.
 *
 * <p>It observes start-up ahead of the application's other observers, so the heartbeat and the
 * media receiver start only once it is done.
 */
@Singleton
public class WarmUp {

    private static final Logger LOG = Logger.getLogger(WarmUp.class);

    private final IceLite ice;

    WarmUp(IceLite ice) {
        this.ice = ice;
    }

    void run(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent started) {
        long start = System.nanoTime();
        SrtpWarmUp.run();
        ice.warmUp();
        LOG.infof("media path warmed up in %d ms (SRTP ciphers chosen, STUN codec loaded)",
                (System.nanoTime() - start) / 1_000_000);
    }
}
