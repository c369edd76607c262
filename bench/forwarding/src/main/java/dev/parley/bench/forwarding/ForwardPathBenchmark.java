package dev.parley.bench.forwarding;

import dev.parley.events.call.ParticipantId;
import dev.parley.media.srtp.SrtpKeys;
import dev.parley.media.srtp.SrtpPacket;
import dev.parley.media.srtp.SrtpProfile;
import dev.parley.media.srtp.SrtpTransformer;
import dev.parley.mediarelay.MediaRelayConfig;
import dev.parley.mediarelay.bwe.BandwidthConfig;
import dev.parley.mediarelay.bwe.CongestionControl;
import dev.parley.mediarelay.cascade.Links;
import dev.parley.mediarelay.forward.Egress;
import dev.parley.mediarelay.forward.ForwardedPackets;
import dev.parley.mediarelay.forward.ForwardingDelay;
import dev.parley.mediarelay.forward.KeyframeRequester;
import dev.parley.mediarelay.forward.LossRecovery;
import dev.parley.mediarelay.forward.Retransmitter;
import dev.parley.mediarelay.forward.RtcpHandler;
import dev.parley.mediarelay.forward.RtpForwarder;
import dev.parley.mediarelay.rtp.MediaKind;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.SectionFormat;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.rtp.TrackSource;
import dev.parley.mediarelay.sdp.HeaderExtension;
import dev.parley.mediarelay.sdp.HeaderExtensionSelection;
import dev.parley.mediarelay.sdp.RtpCodec;
import dev.parley.mediarelay.session.Feed;
import dev.parley.mediarelay.session.RoomId;
import dev.parley.mediarelay.session.Session;
import dev.parley.mediarelay.session.SessionRegistry;
import dev.parley.mediarelay.session.Slot;
import dev.parley.mediarelay.speaker.Speakers;
import dev.parley.mediarelay.transport.DiscardingSocket;
import dev.parley.mediarelay.transport.DroppedPackets;
import dev.parley.mediarelay.transport.Impairment;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The relay's forwarding hot path on its media thread, one operation per publisher packet: a
 * 1,200-byte VP8 packet (a delta frame's; MID and video-orientation header extensions, RFC 8285
 * §4.2) arrives as SRTP (AEAD_AES_128_GCM, RFC 7714), is unprotected, recorded (reception
 * statistics, retransmission cache, NACK tracking), rewritten for each of {@code subscribers}
 * participants' slots (payload type, extension ids, MID; RFC 7667 §3.7 stream numbering) and
 * protected with each one's SRTP context (RFC 3711 §3.3), then handed to a socket that counts and
 * drops it. Every object on the way is the relay's own, wired as its container wires them, with
 * the default configuration (bandwidth estimation off).
 *
 * <p>Each operation also protects the publisher's packet, as its browser would (one AES-GCM pass
 * of 1,200 bytes and an {@link SrtpPacket}): a fresh SRTP index per packet is what the relay's
 * replay protection (RFC 3711 §3.3.2) accepts. Run with {@code -prof gc} for allocation per
 * operation; see {@code docs/benchmarks.md}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseG1GC"})
public class ForwardPathBenchmark {

    private static final int PACKET_BYTES = 1_200;
    private static final long PUBLISHER_SSRC = 0x1122_3344L;
    private static final long PUBLISHER_RTX_SSRC = 0x5566_7788L;
    /** 30 frames/s of ~8 packets each: the timestamp advances 3,000 ticks of 90 kHz per frame. */
    private static final int PACKETS_PER_FRAME = 8;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** How many participants receive the publisher's video. */
    @Param({"3", "10"})
    public int subscribers;

    private RtpForwarder forwarder;
    private Session publisher;
    private SrtpTransformer publisherBrowser;
    private DiscardingSocket socket;
    private final byte[] template = new byte[PACKET_BYTES];
    private final byte[] wire = new byte[PACKET_BYTES + 64];
    private int sequenceNumber;
    private long timestamp = 1_000;
    private long operations;
    private long iterationCpuNanos;
    private long iterationOperations;

    @Setup(Level.Trial)
    public void wire() {
        // As in the relay (Quarkus' default INFO level): jitsi-srtp's per-packet debug logs stay off.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.INFO);
        MediaRelayConfig config = ConfigDefaults.of(MediaRelayConfig.class);
        socket = new DiscardingSocket(config);
        List<Object> beans = new ArrayList<>(List.of(new SimpleMeterRegistry(), config,
                ConfigDefaults.of(BandwidthConfig.class), socket));
        Relay.wire(DroppedPackets.class, beans);
        Relay.wire(Impairment.class, beans);
        SessionRegistry sessions = Relay.wire(SessionRegistry.class, beans);
        Relay.wire(CongestionControl.class, beans);
        Relay.wire(Links.class, beans);
        Relay.wire(Egress.class, beans);
        Relay.wire(KeyframeRequester.class, beans);
        Relay.wire(Retransmitter.class, beans);
        Relay.wire(RtcpHandler.class, beans);
        Relay.wire(LossRecovery.class, beans);
        Relay.wire(Speakers.class, beans);
        Relay.wire(ForwardedPackets.class, beans);
        Relay.wire(ForwardingDelay.class, beans);
        forwarder = Relay.wire(RtpForwarder.class, beans);

        SecureRandom random = new SecureRandom();
        RoomId room = new RoomId("bench-room");
        SectionFormat sent = new SectionFormat("1", List.of(
                new RtpCodec(96, "VP8", "90000", Optional.empty(), List.of("nack", "nack pli", "ccm fir")),
                new RtpCodec(97, "rtx", "90000", Optional.of("apt=96"), List.of())), List.of(
                new HeaderExtension(4, HeaderExtensionSelection.MID),
                new HeaderExtension(13, HeaderExtensionSelection.VIDEO_ORIENTATION)));
        PublishedTrack track = new PublishedTrack("1", new Ssrc(PUBLISHER_SSRC), MediaKind.VIDEO,
                Optional.of(new Ssrc(PUBLISHER_RTX_SSRC)), TrackSource.CAMERA, Optional.of(sent));
        SrtpKeys publisherKeys = keys(random);
        publisher = sessions.openLinked(room, ParticipantId.random(random), List.of(track),
                SrtpTransformer.forDtlsServer(publisherKeys), new InetSocketAddress("127.0.0.1", 40_000));
        publisherBrowser = SrtpTransformer.forDtlsClient(publisherKeys);
        for (int i = 0; i < subscribers; i++) {
            Session subscriber = sessions.openLinked(room, ParticipantId.random(random), List.of(),
                    SrtpTransformer.forDtlsServer(keys(random)), new InetSocketAddress("127.0.0.1", 40_001 + i));
            String mid = "v" + i;
            SectionFormat received = new SectionFormat(mid, List.of(
                    new RtpCodec(100, "VP8", "90000", Optional.empty(), List.of("nack", "nack pli")),
                    new RtpCodec(101, "rtx", "90000", Optional.of("apt=100"), List.of())), List.of(
                    new HeaderExtension(9, HeaderExtensionSelection.MID),
                    new HeaderExtension(11, HeaderExtensionSelection.VIDEO_ORIENTATION)));
            Slot slot = (Slot) Relay.call(Slot.class, "carrying", mid, MediaKind.VIDEO, received,
                    new Feed(publisher, track));
            Relay.call(subscriber, "assign", Map.of(mid, slot));
        }
        writeTemplate(random);
        sequenceNumber = random.nextInt(1 << 15);
    }

    /** One publisher packet in, {@code subscribers} protected copies out. */
    @Benchmark
    public void forward() {
        System.arraycopy(template, 0, wire, 0, PACKET_BYTES);
        int frame = sequenceNumber / PACKETS_PER_FRAME;
        wire[1] = (byte) (96 | (sequenceNumber % PACKETS_PER_FRAME == PACKETS_PER_FRAME - 1 ? 0x80 : 0));
        wire[2] = (byte) (sequenceNumber >>> 8);
        wire[3] = (byte) sequenceNumber;
        long ts = timestamp + 3_000L * frame;
        for (int i = 0; i < 4; i++) {
            wire[4 + i] = (byte) (ts >>> (24 - 8 * i));
        }
        sequenceNumber = (sequenceNumber + 1) & 0xFFFF;
        if (sequenceNumber == 0) {
            timestamp += 3_000L * (0x10000 / PACKETS_PER_FRAME);
        }
        SrtpPacket packet = new SrtpPacket(wire, 0, PACKET_BYTES);
        if (!publisherBrowser.protectRtp(packet)) {
            throw new IllegalStateException("the publisher's packet could not be protected");
        }
        forwarder.onPacket(publisher, packet.getBuffer(), packet.getLength(), System.nanoTime());
        operations++;
    }

    /** Where the iteration started: the benchmark thread's CPU time and operations so far. */
    @Setup(Level.Iteration)
    public void mark() {
        iterationCpuNanos = THREADS.getCurrentThreadCpuTime();
        iterationOperations = operations;
    }

    /**
     * A benchmark whose packets went nowhere would measure nothing: every copy must have been sent.
     * Also prints the iteration's CPU time per operation (the benchmark thread's, from the JVM):
     * on a shared machine the time per operation JMH reports includes the time the thread waited
     * for a core, its CPU time does not.
     */
    @TearDown(Level.Iteration)
    public void check() {
        if (socket.datagrams() != operations * subscribers) {
            throw new IllegalStateException("sent " + socket.datagrams() + " datagrams for " + operations
                    + " packets to " + subscribers + " subscribers");
        }
        long cpu = THREADS.getCurrentThreadCpuTime() - iterationCpuNanos;
        System.out.printf("cpu: %.0f ns/op (%d subscribers)%n", (double) cpu / (operations - iterationOperations),
                subscribers);
    }

    /**
     * The publisher's packet: fixed header (RFC 3550 §5.1) with PT 96 and its SSRC, a one-byte
     * extension block with the MID "1" and video orientation (RFC 8285 §4.2), a VP8 payload
     * descriptor and delta-frame payload header (RFC 7741 §4.2, §4.3), then opaque bytes.
     */
    private void writeTemplate(SecureRandom random) {
        random.nextBytes(template);
        byte[] header = {
                (byte) 0x90, 96, 0, 0, 0, 0, 0, 0, 0x11, 0x22, 0x33, 0x44,
                (byte) 0xBE, (byte) 0xDE, 0, 1, 0x40, '1', (byte) 0xD0, 0,
                0x10, 0x01};
        System.arraycopy(header, 0, template, 0, header.length);
    }

    private static SrtpKeys keys(SecureRandom random) {
        byte[] material = new byte[SrtpProfile.AEAD_AES_128_GCM.keyingMaterialLength()];
        random.nextBytes(material);
        return SrtpKeys.fromKeyingMaterial(SrtpProfile.AEAD_AES_128_GCM, material);
    }
}
