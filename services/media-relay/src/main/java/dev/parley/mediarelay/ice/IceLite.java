package dev.parley.mediarelay.ice;

import dev.parley.mediarelay.session.Session;
import dev.parley.mediarelay.session.SessionRegistry;
import dev.parley.mediarelay.transport.DropReason;
import dev.parley.mediarelay.transport.DroppedPackets;
import dev.parley.mediarelay.transport.MediaSocket;
import jakarta.inject.Singleton;
import org.ice4j.StunException;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.MessageIntegrityAttribute;
import org.ice4j.attribute.UsernameAttribute;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.message.Response;
import org.ice4j.stack.RawMessage;
import org.ice4j.stack.StunStack;
import org.ice4j.stack.TransactionID;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * The relay's ICE-lite agent (RFC 8445 §2.5): it never sends checks, it answers the client's.
 * A Binding request must carry USERNAME {@code relayUfrag:clientUfrag} of an open session and a
 * MESSAGE-INTEGRITY made with the relay's password (RFC 8445 §7.3, RFC 8489 §9.1.3); it is answered
 * with XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY and FINGERPRINT. Anything else is dropped and counted,
 * not answered, so the port tells a scanner nothing. A request with USE-CANDIDATE nominates its
 * source address for the session (RFC 8445 §7.3.1.5). Every answered check refreshes the session's
 * consent (RFC 7675).
 *
 * <p>Messages are decoded and encoded with ice4j's STUN codec; a {@link StunStack} with no sockets
 * serves only as its key store, since ice4j's MESSAGE-INTEGRITY looks keys up through one.
 */
@Singleton
public class IceLite {

    private final StunStack codec = new StunStack();
    private final SessionRegistry sessions;
    private final MediaSocket socket;
    private final DroppedPackets dropped;

    IceLite(SessionRegistry sessions, MediaSocket socket, DroppedPackets dropped) {
        this.sessions = sessions;
        this.socket = socket;
        this.dropped = dropped;
        codec.getCredentialsManager().registerAuthority(new SessionPasswords(sessions));
    }

    /** Handles one datagram whose first byte marks it as STUN. */
    public void onStun(byte[] data, int length, InetSocketAddress from) {
        Message message;
        try {
            message = Message.decode(data, 0, length);
        } catch (StunException | RuntimeException e) {
            dropped.count(DropReason.STUN_MALFORMED);
            return;
        }
        if (!(message instanceof Request request) || request.getMessageType() != Message.BINDING_REQUEST) {
            dropped.count(DropReason.STUN_MALFORMED);
            return;
        }
        Optional<Session> session = authenticate(request, data, length, from);
        if (session.isEmpty()) {
            dropped.count(DropReason.STUN_UNAUTHORIZED);
            return;
        }
        session.get().consented(Instant.now());
        // Nominate before answering: once the client has its success, DTLS from that address must
        // find the session.
        if (request.containsAttribute(Attribute.USE_CANDIDATE)) {
            sessions.nominate(session.get(), from);
        }
        answer(request, session.get(), from);
    }

    private Optional<Session> authenticate(Request request, byte[] data, int length, InetSocketAddress from) {
        UsernameAttribute username = (UsernameAttribute) request.getAttribute(Attribute.USERNAME);
        MessageIntegrityAttribute integrity =
                (MessageIntegrityAttribute) request.getAttribute(Attribute.MESSAGE_INTEGRITY);
        if (username == null || integrity == null) {
            return Optional.empty();
        }
        String name = new String(username.getUsername(), StandardCharsets.UTF_8);
        int colon = name.indexOf(':');
        if (colon < 1) {
            return Optional.empty();
        }
        String clientUfrag = name.substring(colon + 1);
        Optional<Session> session = sessions.byLocalUfrag(name.substring(0, colon))
                .filter(s -> s.remoteIce().ufrag().equals(clientUfrag));
        if (session.isEmpty()) {
            return Optional.empty();
        }
        RawMessage raw = RawMessage.build(data, length, udp(from), udp(socket.localAddress()));
        return codec.validateMessageIntegrity(integrity, name, true, raw) ? session : Optional.empty();
    }

    private void answer(Request request, Session session, InetSocketAddress from) {
        try {
            Response response = MessageFactory.createBindingResponse(request, udp(from));
            response.setTransactionID(request.getTransactionID());
            response.putAttribute(AttributeFactory.createMessageIntegrityAttribute(session.localIce().ufrag()));
            response.putAttribute(AttributeFactory.createFingerprintAttribute());
            byte[] encoded = response.encode(codec);
            socket.send(encoded, 0, encoded.length, from);
        } catch (StunException e) {
            throw new IllegalStateException("cannot encode a Binding success response", e);
        }
    }

    /**
     * Encodes and decodes a Binding request once, so that ice4j loads its codec and configuration
     * now rather than on the media thread when a call's first check arrives.
     */
    public void warmUp() {
        try {
            Request request = MessageFactory.createBindingRequest();
            request.setTransactionID(TransactionID.createNewTransactionID().getBytes());
            request.putAttribute(AttributeFactory.createUsernameAttribute("warm:up"));
            byte[] encoded = request.encode(codec);
            if (!(Message.decode(encoded, 0, encoded.length) instanceof Request)) {
                throw new IllegalStateException("a Binding request did not decode as one");
            }
        } catch (StunException e) {
            throw new IllegalStateException("ice4j cannot encode and decode a Binding request", e);
        }
    }

    private static TransportAddress udp(InetSocketAddress address) {
        return new TransportAddress(address.getAddress(), address.getPort(), Transport.UDP);
    }
}
