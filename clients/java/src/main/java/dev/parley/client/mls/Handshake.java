package dev.parley.client.mls;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.mls.TreeKEM.LeafNode;
import org.bouncycastle.mls.codec.AuthenticatedContent;
import org.bouncycastle.mls.codec.ContentType;
import org.bouncycastle.mls.codec.Extension;
import org.bouncycastle.mls.codec.ExtensionType;
import org.bouncycastle.mls.codec.ExternalSender;
import org.bouncycastle.mls.codec.FramedContent;
import org.bouncycastle.mls.codec.GroupContext;
import org.bouncycastle.mls.codec.MLSInputStream;
import org.bouncycastle.mls.codec.MLSMessage;
import org.bouncycastle.mls.codec.MLSOutputStream;
import org.bouncycastle.mls.codec.ProtocolVersion;
import org.bouncycastle.mls.codec.Sender;
import org.bouncycastle.mls.codec.WireFormat;
import org.bouncycastle.mls.protocol.Group;

/**
 * A handshake message as Parley sends it: an MLSMessage holding a PublicMessage (RFC 9420 §6.2), read
 * before bcmls sees it so the member can check group, epoch and proposals first, and compute a
 * proposal's reference (§5.2).
 */
final class Handshake {
    private final MLSMessage message;
    private final AuthenticatedContent authenticated;

    private Handshake(MLSMessage message, AuthenticatedContent authenticated) {
        this.message = message;
        this.authenticated = authenticated;
    }

    /**
     * Decodes {@code bytes}, which must be exactly one PublicMessage: bytes that do not re-encode to
     * themselves (trailing data, non-minimal lengths) are refused, so every member sees the same message.
     */
    static Handshake parse(byte[] bytes) throws MalformedMessageException {
        MLSMessage message = decode(bytes);
        if (message.wireFormat != WireFormat.mls_public_message) {
            throw new MalformedMessageException(
                "Parley sends handshake messages as PublicMessage, not " + message.wireFormat);
        }
        try {
            // AuthenticatedContent is wire_format || FramedContent || FramedContentAuthData (§6.1),
            // which is the PublicMessage without its membership tag.
            byte[] framed = Bytes.concat(new byte[] {0, 1}, MLSOutputStream.encode(message.publicMessage));
            AuthenticatedContent authenticated =
                (AuthenticatedContent) MLSInputStream.decode(framed, AuthenticatedContent.class);
            return new Handshake(message, authenticated);
        } catch (IOException | RuntimeException e) {
            throw new MalformedMessageException("the PublicMessage does not decode", e);
        }
    }

    /** Decodes one MLSMessage of protocol version mls10 that re-encodes to exactly {@code bytes}. */
    static MLSMessage decode(byte[] bytes) throws MalformedMessageException {
        MLSMessage message;
        try {
            message = (MLSMessage) MLSInputStream.decode(bytes, MLSMessage.class);
            if (message.version != ProtocolVersion.mls10) {
                throw new MalformedMessageException("protocol version " + message.version);
            }
            if (!Arrays.equals(MLSOutputStream.encode(message), bytes)) {
                throw new MalformedMessageException("the message has trailing or non-canonical bytes");
            }
            return message;
        } catch (IOException | RuntimeException e) {
            throw new MalformedMessageException("not an MLS message", e);
        }
    }

    FramedContent content() {
        return authenticated.getContent();
    }

    Sender sender() {
        return content().getSender();
    }

    ContentType contentType() {
        return content().getContentType();
    }

    /** ProposalRef = RefHash("MLS 1.0 Proposal Reference", AuthenticatedContent) (§5.2), hex. */
    String proposalRef() {
        try {
            return Bytes.hex(Suite.SUITE.refHash(MLSOutputStream.encode(authenticated), "MLS 1.0 Proposal Reference"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a decoded message", e);
        }
    }

    /**
     * Verifies the sender the way bcmls would (membership tag and signature for a member, signature
     * for an external sender; §6.2 and §6.1), for the messages this member must understand but bcmls
     * refuses to process: proposals and commits that remove this member.
     */
    void authenticate(Group group) throws RejectedMessageException {
        boolean valid;
        try {
            GroupContext context = group.getGroupInfo(false).groupInfo.getGroupContext();
            byte[] key = switch (sender().getSenderType()) {
                case MEMBER -> {
                    // unprotect checks the membership tag and throws when it does not match
                    message.publicMessage.unprotect(Suite.SUITE, group.getKeySchedule().membershipKey, context);
                    LeafNode leaf = group.getTree().getLeafNode(sender().getSender());
                    yield leaf == null ? null : leaf.getSignatureKey();
                }
                case EXTERNAL -> externalSenders(group.getExtensions()).get(sender().getSenderIndex()).getSignatureKey();
                default -> null;
            };
            valid = key != null && authenticated.verify(Suite.SUITE, key, MLSOutputStream.encode(context));
        } catch (Exception e) {
            throw new RejectedMessageException("the message does not authenticate", e);
        }
        if (!valid) {
            throw new RejectedMessageException("the message's signature does not verify");
        }
    }

    /** The senders of the group's external_senders extension (§12.1.8.1); empty without one. */
    static List<ExternalSender> externalSenders(List<Extension> extensions) throws IOException {
        for (Extension extension : extensions) {
            if (extension.extensionType == ExtensionType.EXTERNAL_SENDERS) {
                return extension.getSenders();
            }
        }
        return List.of();
    }
}
