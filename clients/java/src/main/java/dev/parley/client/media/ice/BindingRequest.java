package dev.parley.client.media.ice;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A connectivity check (RFC 8445 §7.2.2 with RFC 8489 §5): a Binding request with USERNAME
 * {@code <remote ufrag>:<local ufrag>}, PRIORITY, ICE-CONTROLLING or ICE-CONTROLLED with the
 * agent's tie-breaker, USE-CANDIDATE when it nominates (§8.1.1), then MESSAGE-INTEGRITY keyed with
 * the remote password (§7.2.2) and FINGERPRINT (RFC 8489 §14.7), in that order.
 */
public record BindingRequest(byte[] transactionId, byte[] bytes) {

    /**
     * The priority of a peer-reflexive candidate for component 1 (RFC 8445 §5.1.2.1, §7.1.1):
     * type preference 110, local preference 65535, as browsers send it.
     */
    public static final int PEER_REFLEXIVE_PRIORITY = (110 << 24) | (65535 << 8) | (256 - 1);

    public BindingRequest {
        if (transactionId.length != 12) {
            throw new IllegalArgumentException("a STUN transaction id is 96 bits (RFC 8489 §5)");
        }
    }

    /** Encodes a check of the controlling agent; {@code transactionId} is 12 random bytes. */
    public static BindingRequest encode(byte[] transactionId, String username, String remotePassword, int priority,
                                        long tieBreaker, boolean useCandidate) {
        return encode(transactionId, username, remotePassword, priority, IceRole.CONTROLLING, tieBreaker, useCandidate);
    }

    /**
     * Encodes a check of an agent in {@code role}: ICE-CONTROLLING or ICE-CONTROLLED carries the
     * tie-breaker (RFC 8445 §7.1.3); only the controlling agent may set USE-CANDIDATE (§7.1.2).
     */
    public static BindingRequest encode(byte[] transactionId, String username, String remotePassword, int priority,
                                        IceRole role, long tieBreaker, boolean useCandidate) {
        if (useCandidate && role != IceRole.CONTROLLING) {
            throw new IllegalArgumentException("only the controlling agent nominates (RFC 8445 §7.1.2)");
        }
        byte[] user = username.getBytes(StandardCharsets.UTF_8);
        int attributes = 4 + Stun.padded(user.length) + 8 + 12 + (useCandidate ? 4 : 0)
                + 4 + Stun.MESSAGE_INTEGRITY_LENGTH + 8;
        byte[] m = new byte[Stun.HEADER + attributes];
        Stun.writeShort(m, 0, Stun.BINDING_REQUEST);
        Stun.writeInt(m, 4, Stun.MAGIC_COOKIE);
        System.arraycopy(transactionId, 0, m, 8, 12);
        int at = Stun.HEADER;
        at = attribute(m, at, Stun.USERNAME, user);
        byte[] priorityValue = new byte[4];
        Stun.writeInt(priorityValue, 0, priority);
        at = attribute(m, at, Stun.PRIORITY, priorityValue);
        byte[] tie = new byte[8];
        Stun.writeInt(tie, 0, (int) (tieBreaker >>> 32));
        Stun.writeInt(tie, 4, (int) tieBreaker);
        at = attribute(m, at, role == IceRole.CONTROLLING ? Stun.ICE_CONTROLLING : Stun.ICE_CONTROLLED, tie);
        if (useCandidate) {
            at = attribute(m, at, Stun.USE_CANDIDATE, new byte[0]);
        }
        // MESSAGE-INTEGRITY covers the message with the length field counting itself (RFC 8489 §14.5).
        Stun.writeShort(m, 2, at + 4 + Stun.MESSAGE_INTEGRITY_LENGTH - Stun.HEADER);
        at = attribute(m, at, Stun.MESSAGE_INTEGRITY, Stun.hmac(remotePassword, m, at));
        // FINGERPRINT covers everything before it, the length field counting it too (§14.7).
        Stun.writeShort(m, 2, at + 8 - Stun.HEADER);
        byte[] crc = new byte[4];
        Stun.writeInt(crc, 0, Stun.fingerprint(m, at));
        attribute(m, at, Stun.FINGERPRINT, crc);
        return new BindingRequest(transactionId.clone(), m);
    }

    private static int attribute(byte[] m, int at, int type, byte[] value) {
        Stun.writeShort(m, at, type);
        Stun.writeShort(m, at + 2, value.length);
        System.arraycopy(value, 0, m, at + 4, value.length);
        return at + 4 + Stun.padded(value.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BindingRequest other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "BindingRequest[" + bytes.length + " bytes]";
    }
}
