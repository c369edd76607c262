package dev.parley.client.media.rtp;

/** Where a source's RTP packets go: the client protects them with SRTP and sends them. */
@FunctionalInterface
public interface PacketSink {

    /**
     * Takes the RTP packet in {@code buffer[0, length)}; the buffer has at least 16 spare bytes
     * after it (for the SRTP tag) and belongs to the sink from now on.
     */
    void send(byte[] buffer, int length);
}
