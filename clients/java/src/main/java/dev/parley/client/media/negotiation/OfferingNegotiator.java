package dev.parley.client.media.negotiation;

import java.io.IOException;

/**
 * The other direction of {@link Negotiator}: the SFU offers and the client answers, as Janus's
 * VideoRoom does for a subscriber (it knows which tracks it forwards). One per client connection.
 */
public interface OfferingNegotiator extends AutoCloseable {

    /** Asks the SFU for the connection and returns its offer (SDP). */
    String offer() throws IOException, InterruptedException;

    /** Sends the client's answer to that offer; media may flow once ICE and DTLS are up. */
    void answer(String sdp) throws IOException, InterruptedException;

    /** Ends the connection on the SFU; an interrupt surfaces as {@link java.io.InterruptedIOException}. */
    @Override
    void close() throws IOException;
}
