package dev.parley.mediarelay.rtcp;

/**
 * Picture Loss Indication, PSFB FMT 1 (RFC 4585 §6.3.1): a receiver lost part of a picture and asks
 * the media sender for a decodable (key) frame. Forwarded by the relay to the publisher of the stream.
 *
 * @param senderSsrc the SSRC of the packet sender
 * @param mediaSsrc  the stream that should send a key frame
 */
public record PictureLossIndication(long senderSsrc, long mediaSsrc) implements RtcpMessage {

    public PictureLossIndication {
        Bytes.requireU32(senderSsrc, "SSRC");
        Bytes.requireU32(mediaSsrc, "media SSRC");
    }

    /** RFC 4585 §6.3.1: a PLI has no FCI, so its length field is exactly 2. */
    public static PictureLossIndication parse(RtcpPacket packet) throws MalformedRtcpException {
        packet.requireKind(RtcpKind.PICTURE_LOSS_INDICATION);
        if (FeedbackHeader.fciLength(packet) != 0) {
            throw new MalformedRtcpException("a PLI carries no FCI");
        }
        return new PictureLossIndication(packet.senderSsrc(), FeedbackHeader.mediaSsrc(packet));
    }

    @Override
    public int length() {
        return FeedbackHeader.LENGTH;
    }

    @Override
    public void writeTo(byte[] out, int offset) {
        FeedbackHeader.write(out, offset, RtcpKind.PICTURE_LOSS_INDICATION, length(), senderSsrc, mediaSsrc);
    }
}
