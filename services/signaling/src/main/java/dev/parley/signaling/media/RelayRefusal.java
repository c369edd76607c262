package dev.parley.signaling.media;

import java.util.Optional;

/**
 * The media relay could not answer an offer. {@code offerAtFault}: the offer itself is wrong
 * (unparseable SDP, a conflicting SSRC) and the client must change it; otherwise the relay is
 * unreachable, full or refuses signaling, and the same offer may succeed later.
 */
public final class RelayRefusal extends RuntimeException {

    private final boolean offerAtFault;
    private final boolean unreachable;
    private final String lostRelay;

    RelayRefusal(boolean offerAtFault, String message) {
        this(offerAtFault, message, false, null);
    }

    private RelayRefusal(boolean offerAtFault, String message, boolean unreachable, String lostRelay) {
        super(message, null, false, false);
        this.offerAtFault = offerAtFault;
        this.unreachable = unreachable;
        this.lostRelay = lostRelay;
    }

    /** The relay refused the connection or did not accept it in time: it is gone, not busy. */
    static RelayRefusal unreachable(String message) {
        return new RelayRefusal(false, message, true, null);
    }

    boolean isUnreachable() {
        return unreachable;
    }

    /** The same refusal, naming the registered relay that could not be reached. */
    RelayRefusal lost(String relayId) {
        return new RelayRefusal(false, getMessage(), true, relayId);
    }

    /**
     * The registered relay that could not be reached at all, if that is why: signaling treats it as
     * lost at once and moves the room ({@link RelayHealth#lost}) rather than waiting for its
     * heartbeat to go stale.
     */
    public Optional<String> lostRelay() {
        return Optional.ofNullable(lostRelay);
    }

    public boolean offerAtFault() {
        return offerAtFault;
    }
}
