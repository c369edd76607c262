package dev.parley.client.mls;

/**
 * A handshake message for an epoch this member has not reached. The Delivery Service orders messages
 * per group, so this means a commit was missed: the member cannot catch up by itself and has to rejoin.
 */
public final class FutureEpochException extends MlsException {
    private static final long serialVersionUID = 1L;

    private final long messageEpoch;
    private final long currentEpoch;

    FutureEpochException(long messageEpoch, long currentEpoch) {
        super("message for epoch " + messageEpoch + " while this member is at epoch " + currentEpoch);
        this.messageEpoch = messageEpoch;
        this.currentEpoch = currentEpoch;
    }

    public long messageEpoch() {
        return messageEpoch;
    }

    public long currentEpoch() {
        return currentEpoch;
    }
}
