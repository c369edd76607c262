package dev.parley.client.media.ice;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;

/**
 * A Binding response read from the wire (RFC 8489 §5, §6.3.3): its class, transaction id,
 * XOR-MAPPED-ADDRESS (§14.2), and whether MESSAGE-INTEGRITY (§14.5) verifies with the password
 * the request was signed with; a FINGERPRINT (§14.7), if present, must be right or the message is
 * not read at all.
 */
public final class BindingResponse {

    private final byte[] message;
    private final int length;
    private final int type;

    private BindingResponse(byte[] message, int length, int type) {
        this.message = message;
        this.length = length;
        this.type = type;
    }

    /** The response in {@code datagram[0, length)}; empty if it is not a well-formed Binding response. */
    public static Optional<BindingResponse> decode(byte[] datagram, int length) {
        if (length < Stun.HEADER || (datagram[0] & 0xC0) != 0 || Stun.readInt(datagram, 4) != Stun.MAGIC_COOKIE
                || Stun.readShort(datagram, 2) != length - Stun.HEADER || (length & 3) != 0) {
            return Optional.empty();
        }
        int type = Stun.readShort(datagram, 0);
        if (type != Stun.BINDING_SUCCESS && type != Stun.BINDING_ERROR) {
            return Optional.empty();
        }
        BindingResponse response = new BindingResponse(Arrays.copyOf(datagram, length), length, type);
        int fingerprint = response.find(Stun.FINGERPRINT);
        if (fingerprint >= 0 && (fingerprint + 8 != length
                || Stun.readInt(response.message, fingerprint + 4) != Stun.fingerprint(response.message, fingerprint))) {
            return Optional.empty();
        }
        return Optional.of(response);
    }

    public boolean isSuccess() {
        return type == Stun.BINDING_SUCCESS;
    }

    public byte[] transactionId() {
        return Arrays.copyOfRange(message, 8, 20);
    }

    /**
     * Whether MESSAGE-INTEGRITY is present and is the HMAC of everything before it, keyed with
     * {@code password}, with the length field as it was when the sender computed it (§14.5).
     */
    public boolean integrityValid(String password) {
        int at = find(Stun.MESSAGE_INTEGRITY);
        if (at < 0 || Stun.readShort(message, at + 2) != Stun.MESSAGE_INTEGRITY_LENGTH) {
            return false;
        }
        byte[] copy = Arrays.copyOf(message, at);
        Stun.writeShort(copy, 2, at + 4 + Stun.MESSAGE_INTEGRITY_LENGTH - Stun.HEADER);
        byte[] expected = Stun.hmac(password, copy, at);
        return MessageDigest.isEqual(expected,
                Arrays.copyOfRange(message, at + 4, at + 4 + Stun.MESSAGE_INTEGRITY_LENGTH));
    }

    /** The reflexive address the responder saw (XOR-MAPPED-ADDRESS, IPv4 and IPv6), if present. */
    public Optional<InetSocketAddress> mappedAddress() {
        int at = find(Stun.XOR_MAPPED_ADDRESS);
        if (at < 0) {
            return Optional.empty();
        }
        int family = message[at + 5];
        int port = Stun.readShort(message, at + 6) ^ (Stun.MAGIC_COOKIE >>> 16);
        int size = family == 1 ? 4 : 16;
        if (Stun.readShort(message, at + 2) != 4 + size) {
            return Optional.empty();
        }
        byte[] address = Arrays.copyOfRange(message, at + 8, at + 8 + size);
        byte[] mask = Arrays.copyOfRange(message, 4, 4 + size); // magic cookie, then transaction id (§14.2)
        for (int i = 0; i < size; i++) {
            address[i] ^= mask[i];
        }
        try {
            return Optional.of(new InetSocketAddress(InetAddress.getByAddress(address), port));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The offset of the first attribute of {@code type}, or -1. */
    private int find(int type) {
        int at = Stun.HEADER;
        while (at + 4 <= length) {
            int attributeType = Stun.readShort(message, at);
            int attributeLength = Stun.readShort(message, at + 2);
            if (at + 4 + attributeLength > length) {
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
