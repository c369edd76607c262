package dev.parley.mediarelay.ice;

import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.MessageIntegrityAttribute;
import org.ice4j.attribute.XorMappedAddressAttribute;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.security.CredentialsAuthority;
import org.ice4j.stack.RawMessage;
import org.ice4j.stack.StunStack;
import org.ice4j.stack.TransactionID;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The controlling side of ICE as a browser plays it against an ICE-lite relay (RFC 8445 §7.2):
 * Binding requests with USERNAME {@code relayUfrag:clientUfrag}, PRIORITY, ICE-CONTROLLING,
 * optionally USE-CANDIDATE, MESSAGE-INTEGRITY with the relay's password and FINGERPRINT, all
 * through ice4j's codec.
 */
public final class StunTestClient {

    /** A checked success response: the address the relay saw, and whether its integrity held. */
    public record Success(InetSocketAddress mappedAddress, boolean integrityValid) {
    }

    private final DatagramSocket socket;
    private final InetSocketAddress relay;

    public StunTestClient(DatagramSocket socket, InetSocketAddress relay) {
        this.socket = socket;
        this.relay = relay;
    }

    /** Sends one check signed with {@code password}; the relay's answer if one arrives in time. */
    public Optional<Success> check(String relayUfrag, String clientUfrag, String password, boolean useCandidate)
            throws Exception {
        StunStack codec = keyStore(password);
        String username = relayUfrag + ":" + clientUfrag;
        Request request = MessageFactory.createBindingRequest(0x6E7F1EFFL, true, 42L);
        byte[] transactionId = TransactionID.createNewTransactionID().getBytes();
        request.setTransactionID(transactionId);
        request.putAttribute(AttributeFactory.createUsernameAttribute(username));
        if (useCandidate) {
            request.putAttribute(AttributeFactory.createUseCandidateAttribute());
        }
        request.putAttribute(AttributeFactory.createMessageIntegrityAttribute(username));
        request.putAttribute(AttributeFactory.createFingerprintAttribute());
        byte[] encoded = request.encode(codec);
        socket.send(new DatagramPacket(encoded, encoded.length, relay));

        byte[] buffer = new byte[1500];
        DatagramPacket received = new DatagramPacket(buffer, buffer.length);
        socket.setSoTimeout(500);
        try {
            do {
                socket.receive(received);
            } while (buffer[0] > 3);
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        }
        Message response = Message.decode(buffer, 0, received.getLength());
        if (response.getMessageType() != Message.BINDING_SUCCESS_RESPONSE
                || !Arrays.equals(response.getTransactionID(), transactionId)) {
            return Optional.empty();
        }
        TransportAddress mapped = ((XorMappedAddressAttribute) response.getAttribute(Attribute.XOR_MAPPED_ADDRESS))
                .getAddress(transactionId);
        MessageIntegrityAttribute integrity =
                (MessageIntegrityAttribute) response.getAttribute(Attribute.MESSAGE_INTEGRITY);
        RawMessage raw = RawMessage.build(buffer, received.getLength(),
                new TransportAddress(relay, Transport.UDP),
                new TransportAddress((InetSocketAddress) socket.getLocalSocketAddress(), Transport.UDP));
        boolean valid = integrity != null && response.getAttribute(Attribute.FINGERPRINT) != null
                && codec.validateMessageIntegrity(integrity, username, true, raw);
        return Optional.of(new Success(new InetSocketAddress(mapped.getAddress(), mapped.getPort()), valid));
    }

    /** ice4j signs requests with the "remote" key and checks responses with the "local" one. */
    private static StunStack keyStore(String password) {
        byte[] key = password.getBytes(StandardCharsets.US_ASCII);
        StunStack stack = new StunStack();
        stack.getCredentialsManager().registerAuthority(new CredentialsAuthority() {
            @Override
            public byte[] getLocalKey(String username) {
                return key;
            }

            @Override
            public byte[] getRemoteKey(String username, String media) {
                return key;
            }

            @Override
            public boolean checkLocalUserName(String username) {
                return true;
            }
        });
        return stack;
    }
}
