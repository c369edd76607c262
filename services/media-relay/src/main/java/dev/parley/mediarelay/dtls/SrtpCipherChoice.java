package dev.parley.mediarelay.dtls;

import dev.parley.media.srtp.SrtpCiphers;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

/**
 * Has jitsi-srtp choose its AES implementations while the relay starts, before it registers for
 * placement ({@link SrtpCiphers}): otherwise the choice, seconds of CPU, runs on the DTLS thread
 * of the first call's first participant. A fresh-clone run of the failover test measured it there,
 * while four browsers set up that call: the relay's beats went late and the call waited.
 *
 * <p>It observes start-up ahead of the application's other observers, so the heartbeat and the
 * media receiver start only once it is done.
 */
@Singleton
public class SrtpCipherChoice {

    private static final Logger LOG = Logger.getLogger(SrtpCipherChoice.class);

    void choose(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent started) {
        long start = System.nanoTime();
        SrtpCiphers.choose();
        LOG.infof("SRTP ciphers chosen in %d ms", (System.nanoTime() - start) / 1_000_000);
    }
}
