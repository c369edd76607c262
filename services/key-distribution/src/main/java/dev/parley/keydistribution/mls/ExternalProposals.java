package dev.parley.keydistribution.mls;

import org.bouncycastle.mls.TreeKEM.LeafIndex;
import org.bouncycastle.mls.codec.MLSMessage;
import org.bouncycastle.mls.codec.MLSOutputStream;
import org.bouncycastle.mls.codec.Proposal;

/**
 * Proposals this service sends into a group as its external sender (RFC 9420 §12.1.8.1): Add a
 * participant signaling admitted, Remove one who left. Any member commits them by reference.
 * They are PublicMessages signed with the external-sender key, without a membership tag (§6.2),
 * and since Ed25519 is deterministic every replica makes the same bytes for the same proposal.
 */
public final class ExternalProposals {

    /** Parley groups have exactly one external sender: this service, at index 0. */
    public static final int SENDER_INDEX = 0;

    private final byte[] signingKey;

    public ExternalProposals(byte[] signingKey) {
        this.signingKey = signingKey.clone();
    }

    public byte[] add(byte[] groupId, long epoch, byte[] keyPackageMessage) {
        try {
            MLSMessage keyPackage = MlsDecoder.decode(keyPackageMessage);
            return sign(groupId, epoch, Proposal.add(keyPackage.keyPackage));
        } catch (MlsFormatException | java.io.IOException e) {
            throw new IllegalStateException("a KeyPackage accepted earlier no longer decodes", e);
        }
    }

    public byte[] remove(byte[] groupId, long epoch, int leaf) {
        return sign(groupId, epoch, Proposal.remove(new LeafIndex(leaf)));
    }

    private byte[] sign(byte[] groupId, long epoch, Proposal proposal) {
        synchronized (MlsDecoder.LOCK) {
            return signLocked(groupId, epoch, proposal);
        }
    }

    private byte[] signLocked(byte[] groupId, long epoch, Proposal proposal) {
        try {
            return MLSOutputStream.encode(MLSMessage.externalProposal(MlsDecoder.SUITE, groupId, epoch, proposal,
                    SENDER_INDEX, signingKey));
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign an external proposal", e);
        }
    }
}
