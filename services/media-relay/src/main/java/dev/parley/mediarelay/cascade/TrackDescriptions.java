package dev.parley.mediarelay.cascade;

import dev.parley.events.call.ParticipantId;
import dev.parley.mediarelay.rtp.MediaKind;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.SectionFormat;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.rtp.TrackSource;
import dev.parley.mediarelay.sdp.HeaderExtension;
import dev.parley.mediarelay.sdp.RtpCodec;
import dev.parley.mediarelay.session.Session;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the tracks of this relay's sessions into {@link LinkTrack}s for the other relays of the
 * room, and the ones they send back into {@link PublishedTrack}s by participant, refusing what
 * the record constraints cannot see: repeated SSRCs or track ids, an RTX SSRC equal to its media
 * SSRC, a source that does not fit the kind, repeated payload types or extension ids.
 */
final class TrackDescriptions {

    private TrackDescriptions() {
    }

    /** What {@code sessions} publish with a negotiated format (participants' tracks), in order. */
    static List<LinkTrack> describe(List<Session> sessions) {
        List<LinkTrack> described = new ArrayList<>();
        for (Session session : sessions) {
            if (session.participant().isEmpty()) {
                continue;
            }
            for (PublishedTrack track : session.tracks()) {
                if (track.format().isPresent()) {
                    described.add(describe(session.participant().get(), track));
                }
            }
        }
        return List.copyOf(described);
    }

    /** One track with a negotiated format, as the link describes it. */
    static LinkTrack describe(ParticipantId participant, PublishedTrack track) {
        SectionFormat format = track.format().orElseThrow();
        return new LinkTrack(participant.value(), track.trackId(), track.kind().name().toLowerCase(Locale.ROOT),
                track.source().wire(), track.ssrc().value(), track.rtx().map(Ssrc::value).orElse(null), format.mid(),
                format.codecs().stream().map(codec -> new LinkTrack.Codec(codec.payloadType(), codec.name(),
                        codec.clock(), codec.fmtp().orElse(null), codec.rtcpFb())).toList(),
                format.extensions().stream().map(ext -> new LinkTrack.Extension(ext.id(), ext.uri())).toList());
    }

    /**
     * The tracks of {@code described} by participant, each participant's in the order given;
     * throws {@code invalid-link} (400) for what does not hold together.
     */
    static Map<ParticipantId, List<PublishedTrack>> parse(List<LinkTrack> described) {
        Map<ParticipantId, List<PublishedTrack>> byParticipant = new LinkedHashMap<>();
        Set<Long> ssrcs = new HashSet<>();
        Set<String> trackIds = new HashSet<>();
        for (LinkTrack track : described) {
            if (!trackIds.add(track.participantId() + " " + track.trackId())) {
                throw LinkProblems.invalid("track " + track.trackId() + " of " + track.participantId() + " is described twice");
            }
            if (!ssrcs.add(track.ssrc()) || (track.rtxSsrc() != null && !ssrcs.add(track.rtxSsrc()))) {
                throw LinkProblems.invalid("an SSRC of track " + track.trackId() + " of " + track.participantId()
                        + " is used twice");
            }
            byParticipant.computeIfAbsent(new ParticipantId(track.participantId()), p -> new ArrayList<>())
                    .add(toPublished(track));
        }
        return byParticipant;
    }

    private static PublishedTrack toPublished(LinkTrack track) {
        MediaKind kind = MediaKind.valueOf(track.kind().toUpperCase(Locale.ROOT));
        TrackSource source = TrackSource.of(track.source()).orElseThrow();
        if (!source.fits(kind)) {
            throw LinkProblems.invalid("a " + track.kind() + " track cannot show a " + track.source());
        }
        Set<Integer> payloadTypes = new HashSet<>();
        List<RtpCodec> codecs = new ArrayList<>();
        for (LinkTrack.Codec codec : track.codecs()) {
            if (!payloadTypes.add(codec.payloadType())) {
                throw LinkProblems.invalid("payload type " + codec.payloadType() + " of track " + track.trackId()
                        + " is described twice");
            }
            codecs.add(new RtpCodec(codec.payloadType(), codec.name(), codec.clock(), Optional.ofNullable(codec.fmtp()),
                    codec.rtcpFb()));
        }
        Set<Integer> ids = new HashSet<>();
        List<HeaderExtension> extensions = new ArrayList<>();
        for (LinkTrack.Extension extension : track.extensions()) {
            if (!ids.add(extension.id())) {
                throw LinkProblems.invalid("extension id " + extension.id() + " of track " + track.trackId()
                        + " is described twice");
            }
            extensions.add(new HeaderExtension(extension.id(), extension.uri()));
        }
        try {
            return new PublishedTrack(track.trackId(), new Ssrc(track.ssrc()), kind,
                    Optional.ofNullable(track.rtxSsrc()).map(Ssrc::new), source,
                    Optional.of(new SectionFormat(track.mid(), codecs, extensions)));
        } catch (IllegalArgumentException e) {
            throw LinkProblems.invalid(e.getMessage());
        }
    }
}
