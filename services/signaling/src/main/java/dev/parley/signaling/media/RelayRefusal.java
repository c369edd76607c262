package dev.parley.signaling.media;

/**
 * The media relay could not answer an offer. {@code offerAtFault}: the offer itself is wrong
 * (unparseable SDP, a conflicting SSRC) and the client must change it; otherwise the relay is
 * unreachable, full or refuses signaling, and the same offer may succeed later.
 */
public final class RelayRefusal extends RuntimeException {

    private final boolean offerAtFault;

    RelayRefusal(boolean offerAtFault, String message) {
        super(message, null, false, false);
        this.offerAtFault = offerAtFault;
    }

    public boolean offerAtFault() {
        return offerAtFault;
    }
}
