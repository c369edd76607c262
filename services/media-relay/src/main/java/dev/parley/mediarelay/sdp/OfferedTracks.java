package dev.parley.mediarelay.sdp;

import dev.parley.mediarelay.rtp.MediaKind;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.SectionFormat;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.rtp.TrackSource;
import dev.parley.mediarelay.sdp.SdpOfferException.Reason;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The tracks an offer publishes: each audio or video section the client sends on is one track,
 * named by its mid, carried by the one {@code a=ssrc} (RFC 5576 §4.1) that is not the RTX half of
 * an {@code a=ssrc-group:FID} (RFC 5576 §4.2, RFC 4588 §8.1), with that RTX SSRC, the source the
 * client labelled it with, and the format the answer accepts for it. A simulcast section (RFC 8853)
 * is one track of several streams, named by RID.
 */
public final class OfferedTracks {

    private static final SecureRandom RANDOM = new SecureRandom();

    private OfferedTracks() {
    }

    /** The tracks of {@code offer}, every section with its kind's default source. */
    public static List<PublishedTrack> of(SdpOffer offer) {
        return of(offer, Map.of());
    }

    /** The tracks of {@code offer}; {@code sources} labels sections by mid. */
    public static List<PublishedTrack> of(SdpOffer offer, Map<String, TrackSource> sources) {
        List<PublishedTrack> tracks = new ArrayList<>();
        for (MediaSection section : offer.sections()) {
            if (!section.isRtp() || !section.direction().offererSends()) {
                continue;
            }
            String mid = section.mid().orElseThrow();
            MediaKind kind = MediaKind.valueOf(section.kind().toUpperCase(Locale.ROOT));
            if (section.simulcast()) {
                tracks.add(simulcast(section, mid, kind, sources.getOrDefault(mid, TrackSource.defaultFor(kind))));
                continue;
            }
            List<Long> media = section.ssrcs().stream()
                    .filter(ssrc -> !section.rtxByMediaSsrc().containsValue(ssrc)).toList();
            if (media.size() != 1) {
                throw new SdpOfferException(Reason.UNSUPPORTED_TRACK, "section " + mid + " sends on "
                        + media.size() + " media SSRCs; the relay takes exactly one a=ssrc per sending section");
            }
            TrackSource source = sources.getOrDefault(mid, TrackSource.defaultFor(kind));
            if (!source.fits(kind)) {
                throw new SdpOfferException(Reason.BAD_SOURCE, "section " + mid + " is " + section.kind()
                        + " and cannot show a " + source.wire());
            }
            long ssrc = media.get(0);
            SectionFormat format = new SectionFormat(mid, CodecSelection.select(section),
                    HeaderExtensionSelection.select(section));
            tracks.add(new PublishedTrack(mid, new Ssrc(ssrc), kind,
                    Optional.ofNullable(section.rtxByMediaSsrc().get(ssrc)).map(Ssrc::new), source,
                    Optional.of(format)));
        }
        for (String mid : sources.keySet()) {
            if (tracks.stream().noneMatch(track -> track.trackId().equals(mid))) {
                throw new SdpOfferException(Reason.BAD_SOURCE, "sources names mid " + mid
                        + ", which is no section this offer sends on");
            }
        }
        return tracks;
    }

    /**
     * A simulcast section (RFC 8853): its streams' SSRCs are learned from the RID extension, so the
     * section must negotiate it (RFC 8852 §3), and the relay must tell keyframes apart to switch
     * streams without a broken picture, which it can for VP8 (RFC 7741 §4.3), the first codec.
     */
    private static PublishedTrack simulcast(MediaSection section, String mid, MediaKind kind, TrackSource source) {
        SectionFormat format = new SectionFormat(mid, CodecSelection.select(section),
                HeaderExtensionSelection.select(section));
        if (kind != MediaKind.VIDEO || format.extensionId(HeaderExtensionSelection.RTP_STREAM_ID) == 0
                || format.extensionId(HeaderExtensionSelection.MID) == 0
                || !format.codecs().get(0).is("VP8")) {
            throw new SdpOfferException(Reason.UNSUPPORTED_TRACK, "section " + mid + " sends simulcast; the relay takes"
                    + " it for VP8 video (first codec) with the mid and rtp-stream-id header extensions");
        }
        if (!source.fits(kind)) {
            throw new SdpOfferException(Reason.BAD_SOURCE, "section " + mid + " is video and cannot show a "
                    + source.wire());
        }
        long ssrc = RANDOM.nextInt() & 0xFFFF_FFFFL;
        long rtx = (ssrc + 1 + RANDOM.nextInt(1 << 30)) & 0xFFFF_FFFFL;
        return new PublishedTrack(mid, new Ssrc(ssrc), kind, Optional.of(new Ssrc(rtx)), source, Optional.of(format),
                section.simulcastRids());
    }
}
