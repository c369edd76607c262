package dev.parley.client.media.ice;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;

/**
 * A connectivity check the peer sent us (a full ICE agent checks too, RFC 8445 §7.3): a Binding
 * request read from the wire, accepted only if its FINGERPRINT is right (RFC 8489 §14.7), its
 * USERNAME is {@code <our ufrag>:<their ufrag>} and its MESSAGE-INTEGRITY verifies with our
 * password (RFC 8445 §7.3, RFC 8489 §9.1.3). {@link #success} is the answer of §7.3.1.4: a Binding
 * success with XOR-MAPPED-ADDRESS (the source we saw), MESSAGE-INTEGRITY keyed with our password,
 * and FINGERPRINT.
 */
public final class IncomingCheck {

    private final byte[] transactionId;
    private final boolean useCandidate;
    private final Optional<IceRole> senderRole;

    private IncomingCheck(byte[] transactionId, boolean useCandidate, Optional<IceRole> senderRole) {
        this.transactionId = transactionId;
        this.useCandidate = useCandidate;
        this.senderRole = senderRole;
    }

    /**
     * The authentic check in {@code datagram[0, length)} for {@code local} (our credentials) from
     * {@code remote}; empty if it is not a Binding request, is malformed, or fails a check above.
     */
    public static Optional<IncomingCheck> decode(byte[] datagram, int length, IceCredentials local, IceCredentials remote) {
        if (length < Stun.HEADER || (length & 3) != 0 || Stun.readShort(datagram, 0) != Stun.BINDING_REQUEST
                || Stun.readInt(datagram, 4) != Stun.MAGIC_COOKIE || Stun.readShort(datagram, 2) != length - Stun.HEADER) {
            return Optional.empty();
        }
        byte[] m = Arrays.copyOf(datagram, length);
        int fingerprint = find(m, length, Stun.FINGERPRINT);
        if (fingerprint < 0 || fingerprint + 8 != length || Stun.readInt(m, fingerprint + 4) != Stun.fingerprint(m, fingerprint)) {
            return Optional.empty();
        }
        int user = find(m, length, Stun.USERNAME);
        String expected = local.ufrag() + ":" + remote.ufrag();
        if (user < 0 || !new String(m, user + 4, Stun.readShort(m, user + 2), StandardCharsets.UTF_8).equals(expected)) {
            return Optional.empty();
        }
        int integrity = find(m, length, Stun.MESSAGE_INTEGRITY);
        if (integrity < 0 || Stun.readShort(m, integrity + 2) != Stun.MESSAGE_INTEGRITY_LENGTH) {
            return Optional.empty();
        }
        byte[] signed = Arrays.copyOf(m, integrity);
        Stun.writeShort(signed, 2, integrity + 4 + Stun.MESSAGE_INTEGRITY_LENGTH - Stun.HEADER);
        if (!MessageDigest.isEqual(Stun.hmac(local.password(), signed, integrity),
                Arrays.copyOfRange(m, integrity + 4, integrity + 4 + Stun.MESSAGE_INTEGRITY_LENGTH))) {
            return Optional.empty();
        }
        Optional<IceRole> role = find(m, length, Stun.ICE_CONTROLLING) >= 0 ? Optional.of(IceRole.CONTROLLING)
                : find(m, length, Stun.ICE_CONTROLLED) >= 0 ? Optional.of(IceRole.CONTROLLED) : Optional.empty();
        return Optional.of(new IncomingCheck(Arrays.copyOfRange(m, 8, 20), find(m, integrity, Stun.USE_CANDIDATE) >= 0, role));
    }

    /** Whether the sender nominated the pair (USE-CANDIDATE, RFC 8445 §7.3.1.5). */
    public boolean useCandidate() {
        return useCandidate;
    }

    /** The role the sender claims, if it said (ICE-CONTROLLING / ICE-CONTROLLED). */
    public Optional<IceRole> senderRole() {
        return senderRole;
    }

    public byte[] transactionId() {
        return transactionId.clone();
    }

    /**
     * The Binding success response to this check: XOR-MAPPED-ADDRESS {@code source} (IPv4),
     * MESSAGE-INTEGRITY keyed with {@code localPassword} (the password the check was signed with),
     * then FINGERPRINT (RFC 8489 §14.2, §14.5, §14.7).
     */
    public byte[] success(InetSocketAddress source, String localPassword) {
        byte[] address = source.getAddress().getAddress();
        if (address.length != 4) {
            throw new IllegalArgumentException("IPv4 only here");
        }
        byte[] m = new byte[Stun.HEADER + 12 + 4 + Stun.MESSAGE_INTEGRITY_LENGTH + 8];
        Stun.writeShort(m, 0, Stun.BINDING_SUCCESS);
        Stun.writeInt(m, 4, Stun.MAGIC_COOKIE);
        System.arraycopy(transactionId, 0, m, 8, 12);
        int at = Stun.HEADER;
        Stun.writeShort(m, at, Stun.XOR_MAPPED_ADDRESS);
        Stun.writeShort(m, at + 2, 8);
        m[at + 5] = 1; // IPv4
        Stun.writeShort(m, at + 6, source.getPort() ^ (Stun.MAGIC_COOKIE >>> 16));
        for (int i = 0; i < 4; i++) {
            m[at + 8 + i] = (byte) (address[i] ^ m[4 + i]);
        }
        at += 12;
        Stun.writeShort(m, 2, at + 4 + Stun.MESSAGE_INTEGRITY_LENGTH - Stun.HEADER);
        Stun.writeShort(m, at, Stun.MESSAGE_INTEGRITY);
        Stun.writeShort(m, at + 2, Stun.MESSAGE_INTEGRITY_LENGTH);
        System.arraycopy(Stun.hmac(localPassword, m, at), 0, m, at + 4, Stun.MESSAGE_INTEGRITY_LENGTH);
        at += 4 + Stun.MESSAGE_INTEGRITY_LENGTH;
        Stun.writeShort(m, 2, at + 8 - Stun.HEADER);
        Stun.writeShort(m, at, Stun.FINGERPRINT);
        Stun.writeShort(m, at + 2, 4);
        Stun.writeInt(m, at + 4, Stun.fingerprint(m, at));
        return m;
    }

    /** Whether {@code datagram} is a Binding request at all (as opposed to a response or an indication). */
    static boolean isRequest(byte[] datagram, int length) {
        return length >= Stun.HEADER && Stun.readShort(datagram, 0) == Stun.BINDING_REQUEST;
    }

    /** The offset of the first attribute of {@code type} before {@code end}, or -1. */
    private static int find(byte[] m, int end, int type) {
        int at = Stun.HEADER;
        while (at + 4 <= end) {
            int attributeType = Stun.readShort(m, at);
            int attributeLength = Stun.readShort(m, at + 2);
            if (at + 4 + attributeLength > end) {
                return -1;
            }
            if (attributeType == type) {
                return at;
            }
            at += 4 + Stun.padded(attributeLength);
        }
        return -1;
    }
}
