package dev.parley.mediarelay.sdp;

import dev.parley.mediarelay.rtp.MediaKind;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.Ssrc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The tracks an offer publishes: in each audio or video section the client sends on, every
 * {@code a=ssrc} (RFC 5576 §4.1) that is not the RTX half of an {@code a=ssrc-group:FID} (RFC 5576
 * §4.2, RFC 4588 §8.1) is a track, with that RTX SSRC.
 */
public final class OfferedTracks {

    private OfferedTracks() {
    }

    public static List<PublishedTrack> of(SdpOffer offer) {
        List<PublishedTrack> tracks = new ArrayList<>();
        for (MediaSection section : offer.sections()) {
            if (!section.isRtp() || !section.direction().offererSends()) {
                continue;
            }
            MediaKind kind = MediaKind.valueOf(section.kind().toUpperCase(Locale.ROOT));
            for (Long ssrc : section.ssrcs()) {
                if (!section.rtxByMediaSsrc().containsValue(ssrc)) {
                    tracks.add(new PublishedTrack(new Ssrc(ssrc), kind,
                            Optional.ofNullable(section.rtxByMediaSsrc().get(ssrc)).map(Ssrc::new)));
                }
            }
        }
        return tracks;
    }
}
