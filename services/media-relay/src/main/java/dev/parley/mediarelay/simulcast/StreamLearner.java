package dev.parley.mediarelay.simulcast;

import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.RtpHeader;
import dev.parley.mediarelay.rtp.SectionFormat;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.sdp.HeaderExtensionSelection;
import dev.parley.mediarelay.session.Session;

import java.util.Optional;

/**
 * Learns the SSRCs of a publisher's simulcast streams from their packets: browsers do not signal
 * them (RFC 8853 §5.1 names streams by RID), but send the MID (RFC 8843 §15.2) and the RID or
 * repaired RID (RFC 8852 §3, §4) header extensions on a new stream's first packets, which name the
 * section and the stream. Called with an authenticated (SRTP-unprotected) packet whose SSRC the
 * session does not know yet.
 */
public final class StreamLearner {

    private StreamLearner() {
    }

    /** The track the packet's stream belongs to, once learned; empty when it names none of the session's streams. */
    public static Optional<PublishedTrack> learn(Session publisher, Ssrc ssrc, byte[] rtp, int offset, int length) {
        for (PublishedTrack track : publisher.tracks()) {
            if (!track.simulcast() || track.format().isEmpty()) {
                continue;
            }
            SectionFormat format = track.format().get();
            String mid = RtpHeader.extensionText(rtp, offset, length, format.extensionId(HeaderExtensionSelection.MID));
            if (!track.trackId().equals(mid)) {
                continue;
            }
            String rid = RtpHeader.extensionText(rtp, offset, length,
                    format.extensionId(HeaderExtensionSelection.RTP_STREAM_ID));
            boolean repair = rid == null;
            if (repair) {
                rid = RtpHeader.extensionText(rtp, offset, length,
                        format.extensionId(HeaderExtensionSelection.REPAIRED_RTP_STREAM_ID));
            }
            int layer = rid == null ? -1 : track.rids().indexOf(rid);
            if (layer >= 0 && publisher.learn(ssrc, track, layer, repair)) {
                return Optional.of(track);
            }
            return Optional.empty();
        }
        return Optional.empty();
    }
}
