package dev.parley.mediarelay.session;

import dev.parley.events.call.ParticipantId;
import dev.parley.media.dtls.DtlsFingerprint;
import dev.parley.media.srtp.SrtpTransformer;
import dev.parley.mediarelay.dtls.DtlsEndpoint;
import dev.parley.mediarelay.ice.IceCredentials;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.Ssrc;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One participant's transport on this relay, as one PeerConnection with BUNDLE and rtcp-mux sees it:
 * one ICE username, one nominated address, one DTLS association (which pins the client's certificate
 * fingerprint) and the SRTP keys it yields.
 * It belongs to one room, and declares the tracks it publishes by SSRC (RFC 3550 §8); the relay
 * forwards only packets whose SSRC a declared track carries: as JSON, or from the offer's
 * {@code a=ssrc} lines (RFC 5576).
 *
 * <p>A participant's session (opened through the control API for a participant of a call) receives
 * what its {@link Slot}s carry, renegotiated offer by offer. Sessions opened without a participant
 * receive every track of their room unchanged.
 */
public final class Session {

    private final SessionId id;
    private volatile IceCredentials localIce;
    private volatile IceCredentials remoteIce;
    private final DtlsFingerprint remoteFingerprint;
    /*
     * The forwarding path asks for the room, the participant, the nominated address and the SRTP
     * contexts for every packet and every copy: each is held as the Optional its accessor returns,
     * made once when it is set, since an Optional.ofNullable per call is an allocation the JIT
     * cannot remove (its two outcomes merge).
     */
    private final Optional<RoomId> room;
    private final Optional<ParticipantId> participant;
    private final long openedOrder;
    private volatile List<PublishedTrack> tracks = List.of();
    private volatile Map<Ssrc, PublishedTrack> published = Map.of();
    private volatile Map<Ssrc, InboundStream> inbound = Map.of();
    private final Map<Ssrc, LearnedStream> learned = new ConcurrentHashMap<>();
    private volatile Map<String, List<Ssrc>> layerSsrcs = Map.of();
    private volatile boolean sendsSimulcast;
    private volatile int transportCcId;
    private volatile Map<String, RenderedSize> rendered = Map.of();
    private final Map<Ssrc, AtomicInteger> rtxSequences = new ConcurrentHashMap<>();
    private final Ssrc relaySsrc = Ssrc.ofWire(new SecureRandom().nextInt());
    private volatile Map<String, Slot> slots = Map.of();
    /** As Optionals, as the room above is: looked up for every copy the relay forwards. */
    private volatile Map<Ssrc, Optional<Slot>> slotsByFeedSsrc = Map.of();
    private long answers;
    private volatile Instant consentedAt;
    private volatile Optional<InetSocketAddress> nominated = Optional.empty();
    private volatile DtlsEndpoint dtls;
    private volatile Optional<SrtpTransformer> srtp = Optional.empty();

    Session(SessionId id, IceCredentials localIce, IceCredentials remoteIce, DtlsFingerprint remoteFingerprint,
            RoomId room, ParticipantId participant, long openedOrder, Instant openedAt) {
        this.id = id;
        this.localIce = localIce;
        this.remoteIce = remoteIce;
        this.remoteFingerprint = remoteFingerprint;
        this.room = Optional.ofNullable(room);
        this.participant = Optional.ofNullable(participant);
        this.openedOrder = openedOrder;
        this.consentedAt = openedAt;
    }

    /**
     * Records an authenticated ICE check: the client still wants media on this session
     * (consent freshness, RFC 7675 §5.1).
     */
    public void consented(Instant at) {
        consentedAt = at;
    }

    Instant consentedAt() {
        return consentedAt;
    }

    public SessionId id() {
        return id;
    }

    /** The room whose other sessions receive what this one publishes, if it joined one. */
    public Optional<RoomId> room() {
        return room;
    }

    /** The participant of the call this session carries, if it was opened for one. */
    public Optional<ParticipantId> participant() {
        return participant;
    }

    /** Whether this session receives every track of its room unchanged (it has no participant). */
    public boolean receivesAll() {
        return participant.isEmpty();
    }

    /** Sessions of a room in the order they opened: subscribers are served publishers in this order. */
    long openedOrder() {
        return openedOrder;
    }

    /** Whether a track this session declared carries this SSRC, as media or as RTX. */
    public boolean publishes(Ssrc ssrc) {
        return published.containsKey(ssrc) || learned.containsKey(ssrc);
    }

    /** The track that carries this SSRC, as media or as RTX, declared or learned. */
    public Optional<PublishedTrack> track(Ssrc ssrc) {
        PublishedTrack declared = published.get(ssrc);
        if (declared != null) {
            return Optional.of(declared);
        }
        LearnedStream stream = learned.get(ssrc);
        return stream == null ? Optional.empty() : Optional.of(stream.track());
    }

    /**
     * A simulcast stream whose SSRC the relay learned from its RID (RFC 8852 §3): its track, its
     * index in the track's RIDs, and whether it is the stream's RTX (repaired RID, §4).
     */
    public record LearnedStream(PublishedTrack track, int layer, boolean repair) {
    }

    /** The learned simulcast stream this SSRC carries, if any. */
    public Optional<LearnedStream> learned(Ssrc ssrc) {
        return Optional.ofNullable(learned.get(ssrc));
    }

    /** Whether this session publishes simulcast, so unknown SSRCs may be streams to learn. */
    public boolean sendsSimulcast() {
        return sendsSimulcast;
    }

    /**
     * Learns that {@code ssrc} carries stream {@code layer} of the simulcast {@code track} (or its
     * RTX); false when the track is no longer published or the SSRC is taken. A new SSRC for a
     * stream already learned replaces the old one (the client restarted that encoder).
     */
    public synchronized boolean learn(Ssrc ssrc, PublishedTrack track, int layer, boolean repair) {
        if (!tracks.contains(track) || !track.simulcast() || layer < 0 || layer >= track.layers()
                || publishes(ssrc)) {
            return false;
        }
        learned.put(ssrc, new LearnedStream(track, layer, repair));
        if (!repair) {
            List<Ssrc> known = new ArrayList<>(layerSsrcs.getOrDefault(track.trackId(),
                    Collections.nCopies(track.layers(), null)));
            Ssrc replaced = known.set(layer, ssrc);
            Map<Ssrc, InboundStream> streams = new HashMap<>(inbound);
            if (replaced != null) {
                learned.remove(replaced);
                streams.remove(replaced);
            }
            streams.put(ssrc, new InboundStream(track, ssrc));
            Map<String, List<Ssrc>> layers = new HashMap<>(layerSsrcs);
            layers.put(track.trackId(), Collections.unmodifiableList(known));
            layerSsrcs = Map.copyOf(layers);
            inbound = Map.copyOf(streams);
        }
        return true;
    }

    /**
     * The SSRC stream {@code layer} of {@code track} arrives on: the declared one of a track sent
     * without simulcast, or the learned one of a simulcast stream, once learned.
     */
    public Optional<Ssrc> layerSsrc(PublishedTrack track, int layer) {
        if (!track.simulcast()) {
            return layer == 0 ? Optional.of(track.ssrc()) : Optional.empty();
        }
        List<Ssrc> known = layerSsrcs.get(track.trackId());
        return known == null || layer < 0 || layer >= known.size() ? Optional.empty()
                : Optional.ofNullable(known.get(layer));
    }

    /** The tracks this session declared, in the order it declared them. */
    public List<PublishedTrack> tracks() {
        return tracks;
    }

    /** Adds tracks to what the session publishes. */
    void publish(List<PublishedTrack> added) {
        List<PublishedTrack> all = new ArrayList<>(tracks);
        all.addAll(added);
        republish(all);
    }

    /** Replaces what the session publishes (a renegotiation); streams that go on keep their statistics. */
    synchronized void republish(List<PublishedTrack> offered) {
        // A simulcast track offered again as it was goes on with its relay SSRCs and learned streams.
        List<PublishedTrack> declared = offered.stream().map(track -> !track.simulcast() ? track
                : tracks.stream().filter(track::continues).findFirst().orElse(track)).toList();
        Map<Ssrc, PublishedTrack> bySsrc = new HashMap<>();
        Map<Ssrc, InboundStream> streams = new HashMap<>();
        Map<String, List<Ssrc>> layers = new HashMap<>();
        for (PublishedTrack track : declared) {
            track.ssrcs().forEach(ssrc -> bySsrc.put(ssrc, track));
            boolean kept = tracks.contains(track);
            if (track.simulcast()) {
                if (kept && layerSsrcs.containsKey(track.trackId())) {
                    layers.put(track.trackId(), layerSsrcs.get(track.trackId()));
                    layerSsrcs.get(track.trackId()).stream().filter(java.util.Objects::nonNull)
                            .forEach(ssrc -> streams.put(ssrc, inbound.get(ssrc)));
                }
                continue;
            }
            InboundStream stream = inbound.get(track.ssrc());
            streams.put(track.ssrc(), stream != null && kept ? stream : new InboundStream(track));
        }
        learned.values().removeIf(stream -> !declared.contains(stream.track()));
        tracks = List.copyOf(declared);
        published = Map.copyOf(bySsrc);
        streams.values().removeIf(java.util.Objects::isNull);
        inbound = Map.copyOf(streams);
        layerSsrcs = Map.copyOf(layers);
        sendsSimulcast = declared.stream().anyMatch(PublishedTrack::simulcast);
    }

    /** What the relay has received of the published media stream {@code ssrc}. */
    public Optional<InboundStream> inbound(Ssrc ssrc) {
        return Optional.ofNullable(inbound.get(ssrc));
    }

    /** The published media streams and what the relay has received of each. */
    public Map<Ssrc, InboundStream> inbound() {
        return inbound;
    }

    /**
     * The SSRC the relay's own RTCP to this session carries as sender (RFC 3550 §6.4.2): random,
     * as RFC 3550 §8.1 asks.
     */
    public Ssrc relaySsrc() {
        return relaySsrc;
    }

    /**
     * The next sequence number of the retransmissions the relay sends this session on the RTX
     * stream {@code rtxSsrc} (RFC 4588 §4): one counter per stream for the session's life, so a
     * renegotiation never replays SRTP indexes; it starts at random (RFC 3550 §5.1).
     */
    public int nextRtxSequence(Ssrc rtxSsrc) {
        return rtxSequences.computeIfAbsent(rtxSsrc, ssrc -> new AtomicInteger(new SecureRandom().nextInt(1 << 15)))
                .getAndIncrement() & 0xFFFF;
    }

    /**
     * The id of the transport-wide sequence number extension on the sections the relay sends this
     * session (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2), 0 when not negotiated.
     */
    public int transportCcId() {
        return transportCcId;
    }

    void transportCcId(int id) {
        transportCcId = id;
    }

    /** How large the client renders what a receiving section carries, by mid, as it last said. */
    public Map<String, RenderedSize> rendered() {
        return rendered;
    }

    void rendered(Map<String, RenderedSize> sizes) {
        rendered = Map.copyOf(sizes);
    }

    /** The session's receiving sections by mid, as its last answer assigned them. */
    public Map<String, Slot> slots() {
        return slots;
    }

    /** The slot that carries the track whose media SSRC is {@code ssrc}, if one does. */
    public Optional<Slot> slotFor(Ssrc ssrc) {
        return slotsByFeedSsrc.getOrDefault(ssrc, Optional.empty());
    }

    void assign(Map<String, Slot> planned) {
        Map<Ssrc, Optional<Slot>> byFeed = new HashMap<>();
        planned.values().forEach(slot -> slot.feed().ifPresent(feed -> byFeed.put(feed.track().ssrc(), Optional.of(slot))));
        slots = Collections.unmodifiableMap(new LinkedHashMap<>(planned));
        slotsByFeedSsrc = Map.copyOf(byFeed);
    }

    /** The version of the next answer (RFC 3264 §8: it grows with each renegotiation). */
    synchronized long nextAnswerVersion() {
        return ++answers;
    }

    /** The client's DTLS certificate fingerprint from its offer. */
    public DtlsFingerprint remoteFingerprint() {
        return remoteFingerprint;
    }

    /** The relay's ICE credentials for this session, given to the client in the answer. */
    public IceCredentials localIce() {
        return localIce;
    }

    /**
     * An ICE restart (RFC 8445 §9): the client's new credentials and the relay's new ones; the DTLS
     * association and SRTP contexts go on, as RFC 8842 §5.4 keeps them across a restart.
     */
    void restartIce(IceCredentials local, IceCredentials remote) {
        localIce = local;
        remoteIce = remote;
    }

    /** The client's ICE credentials from its offer. */
    public IceCredentials remoteIce() {
        return remoteIce;
    }

    /** The address of the candidate pair the client nominated (RFC 8445 §8.1.1), once it has. */
    public Optional<InetSocketAddress> nominated() {
        return nominated;
    }

    InetSocketAddress nominatedAddress() {
        return nominated.orElse(null);
    }

    void nominate(InetSocketAddress address) {
        nominated = Optional.ofNullable(address);
    }

    void attach(DtlsEndpoint endpoint) {
        dtls = endpoint;
    }

    /** Hands a DTLS record to the session's association; {@code false} if it was dropped. */
    public boolean deliverDtls(byte[] record) {
        return dtls.deliver(record);
    }

    void established(SrtpTransformer transformer) {
        srtp = Optional.ofNullable(transformer);
    }

    /** The SRTP/SRTCP contexts, once the DTLS handshake has completed. */
    public Optional<SrtpTransformer> srtp() {
        return srtp;
    }

    void close() {
        dtls.close();
    }
}
