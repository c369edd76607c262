package dev.parley.client.media;

import dev.parley.client.media.dtls.DtlsRole;
import dev.parley.client.media.dtls.DtlsSrtpClient;
import dev.parley.client.media.ice.IceAgent;
import dev.parley.client.media.ice.IceCredentials;
import dev.parley.client.media.ice.IceRole;
import dev.parley.client.media.negotiation.Answer;
import dev.parley.client.media.negotiation.Negotiator;
import dev.parley.client.media.negotiation.OfferingNegotiator;
import dev.parley.client.media.rtp.MediaSource;
import dev.parley.client.media.rtp.OpusSource;
import dev.parley.client.media.rtp.ReceiveStats;
import dev.parley.client.media.rtp.RtpReader;
import dev.parley.client.media.rtp.RtpWriter;
import dev.parley.client.media.rtp.Vp8Source;
import dev.parley.client.media.sdp.AnswerWriter;
import dev.parley.client.media.sdp.Codecs;
import dev.parley.client.media.sdp.HostCandidate;
import dev.parley.client.media.sdp.LocalSection;
import dev.parley.client.media.sdp.MediaKind;
import dev.parley.client.media.sdp.OfferWriter;
import dev.parley.client.media.sdp.RemoteDescription;
import dev.parley.client.media.sdp.RemoteSection;
import dev.parley.client.media.transport.PacketKind;
import dev.parley.client.media.transport.UdpPort;
import dev.parley.media.dtls.DtlsIdentity;
import dev.parley.media.dtls.DtlsSrtpServer;
import dev.parley.media.dtls.QueuedDatagramTransport;
import dev.parley.media.srtp.SrtpPacket;
import dev.parley.media.srtp.SrtpTransformer;
import org.bouncycastle.tls.DTLSTransport;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One participant's media connection to an SFU, played as a browser's {@code RTCPeerConnection}
 * plays it, without a browser: it writes Unified Plan offers ({@link OfferWriter}), has a
 * {@link Negotiator} carry them, and on the first answer connects one UDP port to the SFU's
 * candidate: ICE ({@link IceAgent}, RFC 8445; controlling facing Parley's ICE-lite relay), DTLS
 * ({@link DtlsSrtpClient}, or {@link DtlsSrtpServer} when the answer says {@code a=setup:active},
 * RFC 5764), then SRTP ({@link SrtpTransformer}, RFC 3711). Facing an SFU that offers instead
 * (Janus's subscribers, {@link OfferingNegotiator}) it answers ({@link AnswerWriter}) and connects
 * as the controlled ICE agent and the DTLS client. It publishes synthetic Opus and VP8
 * ({@link OpusSource}, {@link Vp8Source}) on a shared timer, and counts what it receives per SSRC
 * with its loss and one-way latency ({@link ReceiveStats}).
 *
 * <p>Typical use: {@link #negotiate(MediaPlan)} (or {@link #answerOffer()}), {@link #startSending()},
 * read {@link #received()}, {@link #close()}.
 */
public final class MediaClient implements AutoCloseable {

    private static final Duration ICE_TIMEOUT = Duration.ofSeconds(10);
    /** The connection's certificate: pinned by fingerprint (RFC 8827 §6.5), it outlives any load run. */
    private static final Duration CERTIFICATE_VALIDITY = Duration.ofDays(30);
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 15_000;
    /** DTLS records waiting for the handshake to read them; a handshake flight is a few. */
    private static final int DTLS_BACKLOG = 64;

    private final int senderId;
    private final Negotiator negotiator;
    private final OfferingNegotiator offering;
    private final ClientNetwork network;
    private final ScheduledExecutorService timer;
    private final SecureRandom random;
    private final DtlsIdentity certificate;
    private final IceCredentials ice;
    private final OfferWriter offers;
    private final Transceivers transceivers;
    private final ReceiveStats received = new ReceiveStats();
    private final AtomicLong sentPackets = new AtomicLong();
    private final AtomicLong sentBytes = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private final AtomicLong earlyMedia = new AtomicLong();
    private final List<ScheduledFuture<?>> sending = new ArrayList<>();
    private MediaPlan plan;
    private int offerVersion;
    private RemoteDescription remote;
    private Answer answer;
    private UdpPort port;
    private IceAgent iceAgent;
    private DTLSTransport dtls;
    private volatile SrtpTransformer srtp;
    private volatile Set<Integer> videoPayloadTypes = Set.of(Codecs.VP8, Codecs.VP8_RTX);

    /**
     * A client that stamps {@code senderId} into what it sends, negotiates through
     * {@code negotiator} and runs its sources and consent checks on {@code timer}.
     */
    public MediaClient(int senderId, Negotiator negotiator, ScheduledExecutorService timer, SecureRandom random) {
        this(senderId, negotiator, null, timer, random, ClientNetwork.LOOPBACK);
    }

    /** A client that offers through {@code negotiator}, its port on {@code network}. */
    public MediaClient(int senderId, Negotiator negotiator, ScheduledExecutorService timer, SecureRandom random,
                       ClientNetwork network) {
        this(senderId, negotiator, null, timer, random, network);
    }

    /** A receive-only client that answers the offer of {@code sfu} ({@link #answerOffer()}). */
    public MediaClient(int senderId, OfferingNegotiator sfu, ScheduledExecutorService timer, SecureRandom random,
                       ClientNetwork network) {
        this(senderId, null, sfu, timer, random, network);
    }

    private MediaClient(int senderId, Negotiator negotiator, OfferingNegotiator offering,
                        ScheduledExecutorService timer, SecureRandom random, ClientNetwork network) {
        this.senderId = senderId;
        this.negotiator = negotiator;
        this.offering = offering;
        this.network = network;
        this.timer = timer;
        this.random = random;
        this.certificate = DtlsIdentity.generate("parley-load-client", CERTIFICATE_VALIDITY, random);
        this.ice = IceCredentials.random(random);
        this.offers = new OfferWriter(ice, certificate.fingerprint(), "c" + Integer.toHexString(random.nextInt()),
                "s" + Integer.toHexString(random.nextInt()), random.nextLong() & Long.MAX_VALUE);
        this.transceivers = new Transceivers(random);
    }

    /**
     * Offers {@code plan} (the first time its sending sections and slots; later only slots are
     * added) and takes the answer; the first answer also connects ICE, DTLS and SRTP, blocking
     * until they are up.
     */
    public synchronized Answer negotiate(MediaPlan plan) throws IOException, InterruptedException, TimeoutException {
        if (this.plan != null && (plan.audio() != this.plan.audio() || plan.video() != this.plan.video())) {
            throw new IllegalArgumentException("what a client publishes is fixed by its first offer");
        }
        if (negotiator == null) {
            throw new IllegalStateException("this client answers its SFU's offer: answerOffer()");
        }
        this.plan = plan;
        List<LocalSection> sections = transceivers.apply(plan);
        boolean first = remote == null;
        if (first) {
            port = UdpPort.bind(network.bindAddress(), "media-client-" + senderId);
        }
        Optional<HostCandidate> candidate = network.offerCandidate() ? Optional.of(localCandidate()) : Optional.empty();
        Answer answered = negotiator.negotiate(offers.offer(sections, ++offerVersion, candidate), transceivers.sources());
        RemoteDescription description = RemoteDescription.parse(answered.sdp());
        remote = description;
        answer = answered;
        if (first) {
            DtlsRole role = description.setup().isEmpty() ? DtlsRole.CLIENT : DtlsRole.facing(description.setup())
                    .orElseThrow(() -> new IOException("the answer's a=setup:" + description.setup() + " allows no DTLS role"));
            connect(description, description.iceLite() ? IceRole.CONTROLLING : IceRole.ofFullAgent(true), role);
        }
        return answered;
    }

    /**
     * Asks the SFU for its offer, answers it receive-only ({@link AnswerWriter}: Opus and VP8
     * accepted, DTLS client, our host candidate) and connects as the controlled ICE agent (RFC 8445
     * §6.1.1), blocking until ICE, DTLS and SRTP are up. Returns the SFU's offer, parsed.
     */
    public synchronized RemoteDescription answerOffer() throws IOException, InterruptedException, TimeoutException {
        if (offering == null) {
            throw new IllegalStateException("this client offers: negotiate(plan)");
        }
        if (remote != null) {
            throw new IllegalStateException("renegotiation of an SFU's offer is not supported");
        }
        port = UdpPort.bind(network.bindAddress(), "media-client-" + senderId);
        RemoteDescription description = RemoteDescription.parse(offering.offer());
        Set<Integer> video = new java.util.HashSet<>();
        description.sections().stream().filter(s -> s.kind().equals("video")).forEach(s -> video.addAll(s.payloadTypes("vp8")));
        videoPayloadTypes = Set.copyOf(video);
        String sdp = new AnswerWriter(ice, certificate.fingerprint(), random.nextLong() & Long.MAX_VALUE)
                .answer(description, DtlsRole.CLIENT, localCandidate());
        remote = description;
        answer = new Answer(sdp, List.of());
        // the SFU needs our answer before it can check our candidate or take our ClientHello
        offering.answer(sdp);
        connect(description, description.iceLite() ? IceRole.CONTROLLING : IceRole.ofFullAgent(false), DtlsRole.CLIENT);
        return description;
    }

    private HostCandidate localCandidate() {
        return new HostCandidate(port.localAddress().getAddress().getHostAddress(), port.localAddress().getPort());
    }

    private void connect(RemoteDescription description, IceRole iceRole, DtlsRole dtlsRole)
            throws IOException, InterruptedException, TimeoutException {
        port.connectTo(description.candidate().socketAddress());
        QueuedDatagramTransport records = new QueuedDatagramTransport(DTLS_BACKLOG, QueuedDatagramTransport.SEND_LIMIT,
                port::send);
        iceAgent = new IceAgent(port, ice, description.ice(), iceRole, random);
        port.on(PacketKind.STUN, iceAgent)
                .on(PacketKind.DTLS, (datagram, length) -> records.offer(Arrays.copyOf(datagram, length)))
                .on(PacketKind.RTP, this::onRtp).start();
        iceAgent.connect(ICE_TIMEOUT);
        if (dtlsRole == DtlsRole.CLIENT) {
            DtlsSrtpClient handshake = new DtlsSrtpClient(certificate, description.fingerprint());
            dtls = handshake.handshake(records);
            srtp = SrtpTransformer.forDtlsClient(handshake.keys());
        } else {
            DtlsSrtpServer handshake = new DtlsSrtpServer(certificate, description.fingerprint(),
                    HANDSHAKE_TIMEOUT_MILLIS);
            dtls = handshake.handshake(records);
            srtp = SrtpTransformer.forDtlsServer(handshake.keys());
        }
        iceAgent.keepConsent(timer);
    }

    /** Starts the sources of the sending sections on the timer, each at a random phase. */
    public synchronized void startSending() {
        if (srtp == null) {
            throw new IllegalStateException("negotiate first");
        }
        if (!sending.isEmpty()) {
            return;
        }
        for (LocalSection section : transceivers.sending()) {
            MediaSource source = source(section, remote.section(section.mid())
                    .orElseThrow(() -> new IllegalStateException("the answer lacks mid " + section.mid())));
            long period = source.periodNanos();
            sending.add(timer.scheduleAtFixedRate(() -> tick(source), random.nextLong(period), period,
                    TimeUnit.NANOSECONDS));
        }
    }

    /** Stops the sources; the connection stays up. */
    public synchronized void stopSending() {
        sending.forEach(task -> task.cancel(false));
        sending.clear();
    }

    private MediaSource source(LocalSection section, RemoteSection answered) {
        Optional<RtpWriter.MidExtension> mid = answered.extensionId(Codecs.MID_URI)
                .map(id -> new RtpWriter.MidExtension(id, section.mid()));
        long ssrc = section.ssrc().orElseThrow();
        if (section.kind() == MediaKind.AUDIO) {
            OptionalInt level = answered.extensionId(Codecs.AUDIO_LEVEL_URI).map(OptionalInt::of).orElse(OptionalInt.empty());
            return new OpusSource(new RtpWriter(ssrc, Codecs.OPUS, random.nextInt(), mid, level), senderId,
                    random.nextInt() & 0xFFFFFFFFL);
        }
        VideoSettings video = plan.videoSettings();
        return new Vp8Source(new RtpWriter(ssrc, Codecs.VP8, random.nextInt(), mid, OptionalInt.empty()), senderId,
                random.nextInt() & 0xFFFFFFFFL, video.bitsPerSecond(), video.fps(), video.keyFrameSeconds());
    }

    private void tick(MediaSource source) {
        try {
            source.tick(this::send);
        } catch (RuntimeException e) {
            sendFailures.incrementAndGet(); // a failed tick must not cancel the source's schedule
        }
    }

    private void send(byte[] buffer, int length) {
        SrtpPacket packet = new SrtpPacket(buffer, 0, length);
        if (!srtp.protectRtp(packet)) {
            sendFailures.incrementAndGet();
            return;
        }
        try {
            port.send(packet.getBuffer(), packet.getOffset(), packet.getLength());
            sentPackets.incrementAndGet();
            sentBytes.addAndGet(packet.getLength());
        } catch (IOException e) {
            sendFailures.incrementAndGet();
        }
    }

    /** An SRTP packet from the relay: unprotected in place and recorded. Runs on the port's thread. */
    private void onRtp(byte[] datagram, int length) {
        long now = System.nanoTime();
        SrtpTransformer session = srtp;
        if (session == null) {
            earlyMedia.incrementAndGet();
            return;
        }
        SrtpPacket packet = new SrtpPacket(datagram, 0, length);
        if (!session.unprotectRtp(packet)) {
            received.unprotectFailed();
            return;
        }
        received.record(datagram, 0, packet.getLength(), length, now,
                videoPayloadTypes.contains(RtpReader.payloadType(datagram, 0)));
    }

    /** The id stamped into this client's payloads. */
    public int senderId() {
        return senderId;
    }

    /** What this client received so far. */
    public ReceiveStats received() {
        return received;
    }

    /** The SFU's latest answer (or its offer), parsed. */
    public synchronized RemoteDescription remote() {
        return remote;
    }

    /** The latest answer as the negotiator returned it (with its subscriptions). */
    public synchronized Answer answer() {
        return answer;
    }

    /** The SSRCs this client publishes on (media, then RTX, per sending section). */
    public synchronized List<Long> publishedSsrcs() {
        List<Long> ssrcs = new ArrayList<>();
        for (LocalSection section : transceivers.sending()) {
            section.ssrc().ifPresent(ssrcs::add);
            section.rtxSsrc().ifPresent(ssrcs::add);
        }
        return ssrcs;
    }

    public long sentPackets() {
        return sentPackets.get();
    }

    public long sentBytes() {
        return sentBytes.get();
    }

    /** Packets that could not be protected or sent, and source ticks that failed. */
    public long sendFailures() {
        return sendFailures.get();
    }

    /** SRTP that arrived before the DTLS handshake completed, and so could not be read. */
    public long earlyMedia() {
        return earlyMedia.get();
    }

    /** The peer's ICE checks this client answered (a full ICE peer checks; an ICE-lite relay does not). */
    public long iceChecksAnswered() {
        return iceAgent == null ? 0 : iceAgent.checksAnswered();
    }

    /** Whether ICE consent is fresh (RFC 7675): the SFU answered a check within 30 s. */
    public boolean consentFresh() {
        return iceAgent != null && iceAgent.consentFresh();
    }

    /** Datagrams the port dropped (another source address, or a kind nobody reads, such as SRTCP). */
    public long ignoredDatagrams() {
        return port == null ? 0 : port.ignored();
    }

    /**
     * Stops sending and consent checks, closes the DTLS association (close_notify) and the port,
     * and ends the session on the relay.
     */
    @Override
    public synchronized void close() throws IOException {
        stopSending();
        if (iceAgent != null) {
            iceAgent.stop();
        }
        try {
            if (dtls != null) {
                dtls.close();
            }
        } finally {
            if (port != null) {
                port.close();
            }
            if (negotiator != null) {
                negotiator.close();
            } else {
                offering.close();
            }
        }
    }
}
