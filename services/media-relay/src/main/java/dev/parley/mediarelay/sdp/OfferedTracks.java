package dev.parley.mediarelay.sdp;

import dev.parley.mediarelay.rtp.MediaKind;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.SectionFormat;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.rtp.TrackSource;
import dev.parley.mediarelay.sdp.SdpOfferException.Reason;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The tracks an offer publishes: each audio or video section the client sends on is one track,
 * named by its mid, carried by the one {@code a=ssrc} (RFC 5576 §4.1) that is not the RTX half of
 * an {@code a=ssrc-group:FID} (RFC 5576 §4.2, RFC 4588 §8.1), with that RTX SSRC, the source the
 * client labelled it with, and the format the answer accepts for it.
 */
public final class OfferedTracks {

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
}
