package dev.parley.keydistribution.mls;

import org.bouncycastle.mls.codec.Commit;
import org.bouncycastle.mls.codec.ContentType;
import org.bouncycastle.mls.codec.FramedContent;
import org.bouncycastle.mls.codec.MLSInputStream;
import org.bouncycastle.mls.codec.MLSMessage;
import org.bouncycastle.mls.codec.Proposal;
import org.bouncycastle.mls.codec.ProposalOrRef;
import org.bouncycastle.mls.codec.ProposalOrRefType;
import org.bouncycastle.mls.codec.SenderType;
import org.bouncycastle.mls.codec.WireFormat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The framing of one handshake message (RFC 9420 §6.2 PublicMessage): group, epoch, content
 * type, sender, and for membership the proposals it carries. Parley sends every Proposal and
 * Commit as a PublicMessage so that the Delivery Service can keep the group in step with the call;
 * a PublicMessage reveals no key material (§6.2: only signatures, the membership tag and, in a
 * Commit's UpdatePath, HPKE ciphertexts).
 *
 * @param senderLeaf  the sender's leaf index when {@code senderType} is member, else -1
 * @param operation   for a Proposal, what it does
 * @param proposalRef for a Proposal, its ProposalRef (§5.2) that Commits refer to it by
 * @param commitItems for a Commit, its proposals in order: inline {@link GroupOperation}s, or
 *                    references (byte arrays)
 */
public record Handshake(byte[] groupId, long epoch, ContentType contentType, SenderType senderType, int senderLeaf,
                        GroupOperation operation, byte[] proposalRef, List<Object> commitItems) {

    /** A member's PublicMessage ends with its membership tag: a 32-byte MAC with a one-byte length (§6.2). */
    private static final int MEMBERSHIP_TAG_BYTES = 33;

    public static Handshake parse(byte[] bytes) throws MlsFormatException {
        synchronized (MlsDecoder.LOCK) {
            return parseLocked(bytes);
        }
    }

    private static Handshake parseLocked(byte[] bytes) throws MlsFormatException {
        MLSMessage message = MlsDecoder.decode(bytes);
        if (message.wireFormat != WireFormat.mls_public_message) {
            throw new MlsFormatException("handshake messages must be PublicMessages, not " + message.wireFormat);
        }
        FramedContent content;
        try {
            MLSInputStream stream = new MLSInputStream(bytes);
            stream.read(short.class);
            stream.read(short.class);
            content = (FramedContent) stream.read(FramedContent.class);
        } catch (IOException | RuntimeException e) {
            throw new MlsFormatException("unreadable framing: " + e.getMessage());
        }
        SenderType senderType = content.getSender().getSenderType();
        int senderLeaf = senderType == SenderType.MEMBER ? content.getSender().getSender().value() : -1;
        return switch (content.getContentType()) {
            case PROPOSAL -> new Handshake(content.getGroupID(), content.getEpoch(), ContentType.PROPOSAL, senderType,
                    senderLeaf, operation(content.getProposal()), proposalRef(bytes, senderType), List.of());
            case COMMIT -> new Handshake(content.getGroupID(), content.getEpoch(), ContentType.COMMIT, senderType,
                    senderLeaf, null, null, items(content.getCommit()));
            default -> throw new MlsFormatException("handshake messages are Proposals or Commits, not "
                    + content.getContentType());
        };
    }

    public boolean isCommit() {
        return contentType == ContentType.COMMIT;
    }

    private static List<Object> items(Commit commit) throws MlsFormatException {
        List<Object> items = new ArrayList<>();
        for (ProposalOrRef item : commit.getProposals()) {
            items.add(item.getType() == ProposalOrRefType.REFERENCE ? item.getReference() : operation(item.getProposal()));
        }
        return items;
    }

    static GroupOperation operation(Proposal proposal) throws MlsFormatException {
        return switch (proposal.getProposalType()) {
            case ADD -> new GroupOperation.Add(proposal.getAdd().keyPackage.getLeafNode().getSignatureKey());
            case REMOVE -> new GroupOperation.Remove(proposal.getRemove().removed.value());
            case UPDATE -> new GroupOperation.Update();
            case PSK, REINIT, EXTERNAL_INIT, GROUP_CONTEXT_EXTENSIONS -> new GroupOperation.Refused(proposal.getProposalType().name());
            default -> throw new MlsFormatException("unknown proposal type");
        };
    }

    /**
     * ProposalRef = RefHash("MLS 1.0 Proposal Reference", AuthenticatedContent) (§5.2); the
     * AuthenticatedContent of a PublicMessage is its wire format, content and auth, that is the
     * message without its version in front and without a member's membership tag behind.
     */
    private static byte[] proposalRef(byte[] bytes, SenderType senderType) throws MlsFormatException {
        int end = bytes.length;
        if (senderType == SenderType.MEMBER) {
            if (bytes.length < MEMBERSHIP_TAG_BYTES + 2 || bytes[end - MEMBERSHIP_TAG_BYTES] != 32) {
                throw new MlsFormatException("a member's PublicMessage must end with a 32-byte membership tag");
            }
            end -= MEMBERSHIP_TAG_BYTES;
        }
        try {
            return MlsDecoder.SUITE.refHash(Arrays.copyOfRange(bytes, 2, end), "MLS 1.0 Proposal Reference");
        } catch (IOException e) {
            throw new MlsFormatException("cannot hash the proposal: " + e.getMessage());
        }
    }
}
