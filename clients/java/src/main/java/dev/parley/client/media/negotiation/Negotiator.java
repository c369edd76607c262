package dev.parley.client.media.negotiation;

import java.io.IOException;
import java.util.Map;

/**
 * Carries a client's offers to the relay and its answers back (the client always offers, the
 * relay always answers: RFC 8829 §5.2, docs/protocol.md "Media"). One negotiator per client:
 * the first offer opens the client's media session, later ones renegotiate it.
 */
public interface Negotiator extends AutoCloseable {

    /**
     * Sends {@code offer}; {@code sources} names what each sending section carries (mid →
     * {@code microphone}, {@code camera}, {@code screen}).
     */
    Answer negotiate(String offer, Map<String, String> sources) throws IOException, InterruptedException;

    /** Ends the media session on the relay; an interrupt surfaces as {@link java.io.InterruptedIOException}. */
    @Override
    void close() throws IOException;
}
