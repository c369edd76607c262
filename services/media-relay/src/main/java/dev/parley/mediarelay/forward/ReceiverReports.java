package dev.parley.mediarelay.forward;

import dev.parley.mediarelay.Timers;
import dev.parley.mediarelay.rtcp.ReceiverReport;
import dev.parley.mediarelay.rtcp.ReportBlock;
import dev.parley.mediarelay.session.InboundStream;
import dev.parley.mediarelay.session.Session;
import dev.parley.mediarelay.session.SessionRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The receiver reports the relay owes each publisher as the receiving end of its streams (RFC 3550
 * §6.4.2): loss, jitter and LSR/DLSR per stream, once a second (within the 5% RTCP bandwidth of
 * any real stream, §6.2). Publishers' congestion control reads loss and round-trip time from them;
 * without them a browser's sender never learns how its uplink fares.
 */
@Singleton
public class ReceiverReports {

    private static final Logger LOG = Logger.getLogger(ReceiverReports.class);
    static final Duration INTERVAL = Duration.ofSeconds(1);
    /** At most 31 report blocks fit one report (RFC 3550 §6.4.1: a 5-bit count). */
    private static final int MAX_BLOCKS = 31;

    private final SessionRegistry sessions;
    private final Egress egress;
    private final ScheduledExecutorService timer = Timers.daemon("receiver-reports");

    ReceiverReports(SessionRegistry sessions, Egress egress) {
        this.sessions = sessions;
        this.egress = egress;
    }

    void start(@Observes StartupEvent started) {
        timer.scheduleWithFixedDelay(this::sendAll, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stopping) {
        timer.shutdownNow();
    }

    private void sendAll() {
        long now = System.nanoTime();
        for (Session session : sessions.all()) {
            try {
                send(session, now);
            } catch (RuntimeException e) {
                // One session's failure must not end the schedule for the others.
                LOG.debugf(e, "receiver report for session %s failed", session.id());
            }
        }
    }

    void send(Session publisher, long now) {
        List<ReportBlock> blocks = new ArrayList<>();
        for (InboundStream stream : publisher.inbound().values()) {
            Optional<ReportBlock> block = stream.reportBlock(now);
            block.ifPresent(blocks::add);
        }
        for (int from = 0; from < blocks.size(); from += MAX_BLOCKS) {
            egress.sendRtcp(publisher, List.of(new ReceiverReport(publisher.relaySsrc().value(),
                    blocks.subList(from, Math.min(blocks.size(), from + MAX_BLOCKS)))));
        }
    }
}
