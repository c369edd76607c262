package dev.parley.mediarelay.bwe;

import dev.parley.mediarelay.Timers;
import dev.parley.mediarelay.rtcp.TransportFeedback;
import dev.parley.mediarelay.sdp.HeaderExtensionSelection;
import dev.parley.mediarelay.rtcp.TransportFeedbackReport;
import dev.parley.mediarelay.session.Session;
import dev.parley.mediarelay.session.SessionId;
import dev.parley.mediarelay.session.SessionRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@link SubscriberLink} of every session that negotiated transport-wide congestion control,
 * and the pacer's timer that drains their queues every {@link #PACER_INTERVAL_MS} ms. The other
 * way, it records when publishers' numbered packets arrive ({@link ArrivalRecorder}) and sends
 * them feedback reports every 50 ms, so the browsers' own congestion control sees their uplink
 * (without it, a browser that numbers its packets and hears nothing keeps its start rate).
 */
@Singleton
public class CongestionControl {

    private static final Logger LOG = Logger.getLogger(CongestionControl.class);
    static final long PACER_INTERVAL_MS = 5;
    /** Feedback to publishers every 50 ms, as often as libwebrtc's receivers send it at high rates. */
    static final long REPORT_INTERVAL_NANOS = 50_000_000L;

    private final BandwidthConfig config;
    private final SessionRegistry sessions;
    private final Map<SessionId, SubscriberLink> links = new ConcurrentHashMap<>();
    private final Counter feedback;
    private final Timer pacerDelay;
    private final ScheduledExecutorService pacer = Timers.daemon("pacer");

    CongestionControl(BandwidthConfig config, SessionRegistry sessions, MeterRegistry metrics) {
        this.config = config;
        this.sessions = sessions;
        sessions.onClose(session -> {
            links.remove(session.id());
            arrivals.remove(session.id());
        });
        this.feedback = Counter.builder("parley.media.transport.feedback")
                .description("Transport-wide congestion control feedback messages taken from subscribers")
                .register(metrics);
        this.pacerDelay = Timer.builder("parley.media.pacer.delay")
                .description("How long packets that could not leave at once waited in a subscriber's pacer")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(1_000))
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(metrics);
        Gauge.builder("parley.media.paced.links", links, Map::size)
                .description("Subscribers whose packets are numbered, paced and their bandwidth estimated")
                .register(metrics);
    }

    void start(@Observes StartupEvent started) {
        HeaderExtensionSelection.transportWideCc(config.enabled());
        pacer.scheduleAtFixedRate(this::drainAll, PACER_INTERVAL_MS, PACER_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stopping) {
        pacer.shutdownNow();
    }

    /** How the links send a numbered packet: the egress's protect-and-send, given once at start. */
    public interface Sender {
        boolean send(Session to, byte[] rtp, int length);
    }

    /** How feedback reports to publishers leave: the egress's SRTCP send. */
    public interface ReportSender {
        boolean send(Session to, TransportFeedbackReport report);
    }

    private volatile Sender sender;
    private volatile ReportSender reports;
    private final Map<SessionId, ArrivalRecorder> arrivals = new ConcurrentHashMap<>();
    private long lastReport = System.nanoTime();

    /** The egress hands over how a packet and a feedback report leave. */
    public void sendWith(Sender egress, ReportSender feedback) {
        sender = egress;
        reports = feedback;
    }

    /**
     * A publisher's packet carrying transport-wide sequence number {@code transportSequence}
     * arrived now: reported back within {@link #REPORT_INTERVAL_NANOS}.
     */
    public void arrived(Session publisher, int transportSequence, long nowNanos) {
        arrivals.computeIfAbsent(publisher.id(), key -> new ArrivalRecorder()).arrived(transportSequence, nowNanos);
    }

    /** The link of a session that negotiated transport-wide congestion control, made on first use; else empty. */
    public Optional<SubscriberLink> link(Session session) {
        int id = session.transportCcId();
        Sender egress = sender;
        if (id <= 0 || egress == null) {
            return Optional.empty();
        }
        return Optional.of(links.computeIfAbsent(session.id(),
                key -> new SubscriberLink(id, config, (rtp, length) -> egress.send(session, rtp, length),
                        nanos -> pacerDelay.record(nanos, TimeUnit.NANOSECONDS))));
    }

    /** Takes a subscriber's feedback; ignored for a session without a link. */
    public void onFeedback(Session subscriber, TransportFeedback message) {
        SubscriberLink link = links.get(subscriber.id());
        if (link != null) {
            feedback.increment();
            link.onFeedback(message, System.nanoTime());
        }
    }

    private void reportAll() {
        ReportSender send = reports;
        if (send == null) {
            return;
        }
        for (Map.Entry<SessionId, ArrivalRecorder> entry : arrivals.entrySet()) {
            Optional<Session> publisher = sessions.byId(entry.getKey());
            if (publisher.isEmpty()) {
                continue;
            }
            long media = publisher.get().inbound().keySet().stream().findFirst().map(ssrc -> ssrc.value()).orElse(0L);
            entry.getValue().report(publisher.get().relaySsrc().value(), media)
                    .ifPresent(report -> send.send(publisher.get(), report));
        }
    }

    /** Whether the test-only egress limit may be set. */
    public boolean testLimitEnabled() {
        return config.testEgressLimit();
    }

    private void drainAll() {
        long now = System.nanoTime();
        if (now - lastReport >= REPORT_INTERVAL_NANOS) {
            lastReport = now;
            reportAll();
        }
        for (SubscriberLink link : links.values()) {
            try {
                link.drain(now);
            } catch (RuntimeException e) {
                LOG.debugf(e, "pacing failed");
            }
        }
    }
}
