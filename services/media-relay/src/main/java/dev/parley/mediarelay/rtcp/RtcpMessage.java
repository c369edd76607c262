package dev.parley.mediarelay.rtcp;

/** An RTCP packet the relay can write: one of the parts of a compound datagram (RFC 3550 §6.1). */
public sealed interface RtcpMessage
        permits SenderReport, ReceiverReport, GenericNack, PictureLossIndication, FullIntraRequest,
        TransportFeedbackReport {

    /** The encoded length in bytes, a multiple of 4 (RFC 3550 §6.4.1). */
    int length();

    /** Writes the packet at {@code offset}; {@code out} must have {@link #length()} bytes there. */
    void writeTo(byte[] out, int offset);

    /** The packet on its own, e.g. a reduced-size feedback packet (RFC 5506 §3). */
    default byte[] toBytes() {
        byte[] out = new byte[length()];
        writeTo(out, 0);
        return out;
    }
}
