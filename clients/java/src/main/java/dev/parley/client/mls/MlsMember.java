package dev.parley.client.mls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.mls.TreeKEM.LeafNode;
import org.bouncycastle.mls.TreeKEM.TreeKEMPublicKey;
import org.bouncycastle.mls.codec.Extension;
import org.bouncycastle.mls.codec.ExtensionType;
import org.bouncycastle.mls.codec.ExternalSender;
import org.bouncycastle.mls.codec.KeyPackage;
import org.bouncycastle.mls.codec.MLSMessage;
import org.bouncycastle.mls.codec.MLSOutputStream;
import org.bouncycastle.mls.codec.Proposal;
import org.bouncycastle.mls.codec.ProposalOrRef;
import org.bouncycastle.mls.codec.ProposalType;
import org.bouncycastle.mls.codec.Sender;
import org.bouncycastle.mls.codec.SenderType;
import org.bouncycastle.mls.codec.Welcome;
import org.bouncycastle.mls.codec.WireFormat;
import org.bouncycastle.mls.crypto.Secret;
import org.bouncycastle.mls.protocol.Group;

import dev.parley.client.mls.CredentialRejectedException.Reason;
import dev.parley.client.mls.HandleResult.Outcome;

/**
 * One device's view of one MLS group (RFC 9420), on Bouncy Castle's bcmls, with Parley's rules on top:
 *
 * <ul>
 *   <li>every leaf's credential passes {@link CredentialVerifier}: all leaves when joining, every
 *       added or changed leaf in a commit;</li>
 *   <li>the group has exactly one external sender, the key-distribution service (§12.1.8.1), whose
 *       Add and Remove proposals members queue and commit by reference;</li>
 *   <li>handshake messages are PublicMessages (§6.2), so the Delivery Service can read epochs and
 *       proposal lists; proposals other than Add and Remove are refused, which keeps the group's
 *       extensions (and so its external sender) as they were created;</li>
 *   <li>a commit stays pending until the Delivery Service accepts it ({@link PendingCommit}).</li>
 * </ul>
 *
 * <p>A member is not thread-safe: one thread at a time. Every method that throws {@link MlsException}
 * leaves the member as it was.
 */
public final class MlsMember {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CredentialVerifier verifier;
    private Group group;
    private SortedMap<LeafIndex, MemberIdentity> roster;
    /** Proposals of this epoch that bcmls queued, by reference (hex). */
    private final Map<String, Proposal> queued = new LinkedHashMap<>();
    /** References of this epoch's authentic proposals that remove this member. */
    private final Set<String> removalsOfMe = new HashSet<>();
    /**
     * Commits made in this epoch and not refused: the Delivery Service may have accepted any of
     * them even when its answer was lost, so any that comes back on the stream is recognised.
     */
    private final List<PendingCommit> outstanding = new ArrayList<>();
    private boolean removed;

    private MlsMember(Group group, SortedMap<LeafIndex, MemberIdentity> roster, CredentialVerifier verifier) {
        this.group = group;
        this.roster = roster;
        this.verifier = verifier;
    }

    /**
     * Creates a group at epoch 0 with this device as its only member (§11), and the key-distribution
     * service as its one external sender.
     *
     * @param groupId the id the server chose for the group
     * @param credential this device's certificate chain
     */
    public static MlsMember create(GroupId groupId, DeviceKeys keys, CredentialChain credential,
        ExternalSenderKey externalSender, CredentialVerifier verifier) throws CredentialRejectedException {
        synchronized (Suite.LOCK) {
            MemberIdentity me = verifier.verify(credential, keys.publicKey());
            AsymmetricCipherKeyPair encryption = Suite.SUITE.getHPKE().generatePrivateKey();
            try {
                LeafNode leaf = keys.leafNode(credential, encryption);
                List<Extension> extensions = List.of(Extension.externalSender(List.of(externalSender.toMls())));
                Group group = new Group(groupId.value(), Suite.SUITE, encryption, keys.privateKey(),
                    leaf.copy(leaf.getEncryptionKey()), extensions);
                return new MlsMember(group, new TreeMap<>(Map.of(new LeafIndex(0), me)), verifier);
            } catch (IllegalArgumentException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("cannot create a group", e);
            }
        }
    }

    /**
     * Joins a group from a Welcome (§12.4.3.1), if the Welcome is for one of this device's KeyPackages.
     *
     * @param mine the KeyPackages this device published and has not used
     * @param expectedSender the key-distribution service, which must be the group's one external sender
     * @return empty when the Welcome names none of {@code mine}
     * @throws MalformedMessageException the bytes are not a Welcome
     * @throws RejectedMessageException the Welcome is for this device but does not open or verify
     * @throws ExternalSenderMismatchException the group's external senders are not exactly {@code expectedSender}
     * @throws CredentialRejectedException a leaf of the group fails {@code verifier}
     */
    public static Optional<MlsMember> join(byte[] welcomeMessage, List<KeyPackageBundle> mine, DeviceKeys keys,
        ExternalSenderKey expectedSender, CredentialVerifier verifier) throws MlsException {
        synchronized (Suite.LOCK) {
            MLSMessage message = Handshake.decode(welcomeMessage);
            if (message.wireFormat != WireFormat.mls_welcome) {
                throw new MalformedMessageException("expected a Welcome, got " + message.wireFormat);
            }
            Welcome welcome = message.welcome;
            KeyPackageBundle bundle = null;
            for (KeyPackageBundle candidate : mine) {
                if (addresses(welcome, candidate)) {
                    bundle = candidate;
                    break;
                }
            }
            if (bundle == null) {
                return Optional.empty();
            }
            if (welcome.getSuite().getSuiteID() != Suite.ID) {
                throw new RejectedMessageException("the Welcome uses cipher suite " + welcome.getSuite().getSuiteID());
            }
            Group group;
            try {
                group = new Group(bundle.initPrivateKey(), bundle.encryptionKeys(), keys.privateKey(),
                    bundle.keyPackage(), welcome, null, new HashMap<>(), new HashMap<>());
            } catch (Exception e) {
                throw new RejectedMessageException("the Welcome does not verify: " + e.getMessage(), e);
            }
            checkExternalSender(group, expectedSender);
            SortedMap<LeafIndex, MemberIdentity> roster = new TreeMap<>();
            TreeKEMPublicKey tree = group.getTree();
            for (int i = 0; i < tree.getSize().leafCount(); i++) {
                LeafNode leaf = tree.getLeafNode(new LeafIndex(i).toMls());
                if (leaf != null) {
                    roster.put(new LeafIndex(i), verifier.verify(leaf));
                }
            }
            return Optional.of(new MlsMember(group, roster, verifier));
        }
    }

    /** Whether the Welcome has group secrets for this KeyPackage's KeyPackageRef (§12.4.3.1). */
    private static boolean addresses(Welcome welcome, KeyPackageBundle bundle) throws MalformedMessageException {
        try {
            return welcome.find(bundle.keyPackage()) >= 0;
        } catch (IOException | RuntimeException e) {
            throw new MalformedMessageException("the Welcome's secrets do not decode", e);
        }
    }

    private static void checkExternalSender(Group group, ExternalSenderKey expected)
        throws ExternalSenderMismatchException {
        long extensions = group.getExtensions().stream()
            .filter(e -> e.extensionType == ExtensionType.EXTERNAL_SENDERS).count();
        List<ExternalSender> senders;
        try {
            senders = Handshake.externalSenders(group.getExtensions());
            if (extensions == 1 && senders.size() == 1
                && Arrays.equals(MLSOutputStream.encode(senders.get(0)), expected.encoded())) {
                return;
            }
        } catch (IOException | RuntimeException e) {
            throw new ExternalSenderMismatchException("the group's external_senders extension does not decode");
        }
        throw new ExternalSenderMismatchException("the group's external senders are " + senders.size()
            + " in " + extensions + " extension(s), not exactly the key-distribution service");
    }

    /**
     * Commits every queued proposal by reference, plus Adds for {@code keyPackagesToAdd} and Removes
     * for {@code leavesToRemove} inline, with an UpdatePath (§12.4). The member stays in its epoch
     * until {@link #confirm} or {@link #discard}. A leaf a queued proposal already removes, or a
     * KeyPackage whose key a queued Add already adds, is left out rather than proposed twice (§12.2).
     *
     * @param keyPackagesToAdd KeyPackages as MLSMessages (wire format mls_key_package)
     * @throws MalformedMessageException a KeyPackage does not decode
     * @throws CredentialRejectedException a KeyPackage's credential fails the verifier
     * @throws RejectedMessageException bcmls refuses the KeyPackages or the proposal list
     */
    public PendingCommit commit(List<byte[]> keyPackagesToAdd, List<LeafIndex> leavesToRemove) throws MlsException {
        synchronized (Suite.LOCK) {
            requireMember();
            List<Proposal> proposals = new ArrayList<>();
            int joiners = 0;
            for (Proposal proposal : queued.values()) {
                joiners += proposal.getProposalType() == ProposalType.ADD ? 1 : 0;
            }
            for (byte[] bytes : keyPackagesToAdd) {
                KeyPackage keyPackage = decodeKeyPackage(bytes);
                verifier.verify(keyPackage.getLeafNode());
                if (!queuedAdd(keyPackage.getLeafNode().getSignatureKey())) {
                    proposals.add(addProposal(keyPackage));
                    joiners++;
                }
            }
            for (LeafIndex leaf : leavesToRemove) {
                if (leaf.equals(leafIndex())) {
                    throw new IllegalArgumentException("a member cannot commit its own removal (RFC 9420 §12.2)");
                }
                if (!roster.containsKey(leaf)) {
                    throw new IllegalArgumentException("no member at " + leaf);
                }
                if (!queuedRemove(leaf)) {
                    proposals.add(Proposal.remove(leaf.toMls()));
                }
            }
            byte[] leafSecret = new byte[Suite.SUITE.getKDF().getHashLength()];
            RANDOM.nextBytes(leafSecret);
            Group.GroupWithMessage result;
            try {
                result = group.commit(new Secret(leafSecret), new Group.CommitOptions(proposals, true, true, null),
                    new Group.MessageOptions(false, new byte[0], 0), new Group.CommitParameters(Group.NORMAL_COMMIT_PARAMS));
            } catch (Exception e) {
                throw new RejectedMessageException("the commit cannot be made: " + e.getMessage(), e);
            }
            SortedMap<LeafIndex, MemberIdentity> nextRoster = rosterAfter(result.group, leafIndex());
            try {
                // bcmls returns the Commit and the Welcome in one MLSMessage; they travel separately.
                byte[] commit = MLSOutputStream.encode(result.message);
                byte[] welcome = null;
                if (joiners > 0) {
                    MLSMessage welcomeMessage = new MLSMessage(WireFormat.mls_welcome);
                    welcomeMessage.welcome = result.message.welcome;
                    welcome = MLSOutputStream.encode(welcomeMessage);
                }
                PendingCommit pending = new PendingCommit(this, epoch(), commit, welcome, result.group, nextRoster);
                outstanding.add(pending);
                return pending;
            } catch (IOException e) {
                throw new IllegalStateException("cannot encode a commit", e);
            }
        }
    }

    /** The Delivery Service accepted the commit: the member moves to its epoch. */
    public void confirm(PendingCommit commit) {
        synchronized (Suite.LOCK) {
            requireMember();
            if (commit.owner() != this || commit.epoch() != epoch()) {
                throw new IllegalStateException("the commit was made for epoch " + commit.epoch()
                    + " of this or another member; this member is at epoch " + epoch());
            }
            adopt(commit.next(), commit.roster());
        }
    }

    /**
     * The Delivery Service refused the commit (another commit won the epoch): forget it. The queued
     * proposals stay; the member handles the winning commit and may commit again in the new epoch.
     */
    public void discard(PendingCommit commit) {
        synchronized (Suite.LOCK) {
            outstanding.remove(commit);
        }
    }

    /**
     * Handles a handshake message from the Delivery Service: a proposal is checked and queued, a commit
     * moves the group to the next epoch. This member's own commit, echoed back, confirms it.
     *
     * @throws MalformedMessageException not a PublicMessage of this group
     * @throws FutureEpochException the message is for an epoch this member has not reached
     * @throws RejectedMessageException the message fails verification or Parley's rules
     * @throws CredentialRejectedException a leaf the message adds or changes fails the verifier
     */
    public HandleResult handle(byte[] message) throws MlsException {
        synchronized (Suite.LOCK) {
            requireMember();
            Handshake handshake = Handshake.parse(message);
            if (!Arrays.equals(handshake.content().getGroupID(), group.getGroupID())) {
                throw new MalformedMessageException("the message is for another group");
            }
            long messageEpoch = handshake.content().getEpoch();
            if (messageEpoch < epoch()) {
                return new HandleResult(Outcome.STALE, epoch());
            }
            if (messageEpoch > epoch()) {
                throw new FutureEpochException(messageEpoch, epoch());
            }
            return switch (handshake.contentType()) {
                case PROPOSAL -> handleProposal(handshake, message);
                case COMMIT -> handleCommit(handshake, message);
                default -> throw new RejectedMessageException("Parley sends no " + handshake.contentType() + " messages");
            };
        }
    }

    private HandleResult handleProposal(Handshake handshake, byte[] message) throws MlsException {
        Proposal proposal = handshake.content().getProposal();
        requireAllowed(proposal);
        SenderType sender = handshake.sender().getSenderType();
        if (sender != SenderType.MEMBER && sender != SenderType.EXTERNAL) {
            throw new RejectedMessageException("proposals come from members or the key-distribution service, not " + sender);
        }
        if (removesMe(proposal)) {
            // bcmls refuses to queue a proposal that removes its own member (§12.1.3 makes it invalid
            // for a committer), so the member authenticates and remembers it itself.
            handshake.authenticate(group);
            removalsOfMe.add(handshake.proposalRef());
            return new HandleResult(Outcome.REMOVAL_PROPOSED, epoch());
        }
        if (proposal.getProposalType() == ProposalType.ADD) {
            verifier.verify(proposal.getAdd().keyPackage.getLeafNode());
        }
        try {
            group.handle(message, null);
        } catch (Exception e) {
            throw new RejectedMessageException("the proposal is refused: " + e.getMessage(), e);
        }
        queued.put(handshake.proposalRef(), proposal);
        return new HandleResult(Outcome.PROPOSAL_QUEUED, epoch());
    }

    private HandleResult handleCommit(Handshake handshake, byte[] message) throws MlsException {
        Sender sender = handshake.sender();
        if (sender.getSenderType() != SenderType.MEMBER) {
            throw new RejectedMessageException("Parley uses no external commits");
        }
        LeafIndex committer = new LeafIndex(sender.getSender().value());
        if (committer.equals(leafIndex())) {
            for (PendingCommit mine : outstanding) {
                if (mine.isCommit(message)) {
                    confirm(mine);
                    return new HandleResult(Outcome.EPOCH_ADVANCED, epoch());
                }
            }
            throw new RejectedMessageException("a commit from this member's leaf that it has not made");
        }
        boolean removesMe = false;
        for (ProposalOrRef entry : handshake.content().getCommit().getProposals()) {
            switch (entry.getType()) {
                case PROPOSAL -> {
                    requireAllowed(entry.getProposal());
                    removesMe |= removesMe(entry.getProposal());
                }
                case REFERENCE -> {
                    String ref = Bytes.hex(entry.getReference());
                    if (removalsOfMe.contains(ref)) {
                        removesMe = true;
                    } else if (!queued.containsKey(ref)) {
                        // bcmls would silently drop a reference it cannot resolve
                        throw new RejectedMessageException("the commit references a proposal this member has not received");
                    }
                }
                default -> throw new RejectedMessageException("a proposal entry of type " + entry.getType());
            }
        }
        if (removesMe) {
            // bcmls cannot process a commit that removes its own member; an authentic one is the removal.
            handshake.authenticate(group);
            removed = true;
            outstanding.clear();
            return new HandleResult(Outcome.REMOVED, epoch());
        }
        Group next;
        try {
            next = group.handle(message, null);
        } catch (Exception e) {
            throw new RejectedMessageException("the commit is refused: " + e.getMessage(), e);
        }
        adopt(next, rosterAfter(next, committer));
        return new HandleResult(Outcome.EPOCH_ADVANCED, epoch());
    }

    /** Parley's members and service propose only Add and Remove. */
    private static void requireAllowed(Proposal proposal) throws RejectedMessageException {
        ProposalType type = proposal.getProposalType();
        if (type != ProposalType.ADD && type != ProposalType.REMOVE) {
            throw new RejectedMessageException("Parley does not use " + type + " proposals");
        }
    }

    private boolean removesMe(Proposal proposal) {
        return proposal.getProposalType() == ProposalType.REMOVE
            && proposal.getRemove().removed.value() == group.getIndex().value();
    }

    private boolean queuedAdd(byte[] signatureKey) {
        return queued.values().stream().anyMatch(p -> p.getProposalType() == ProposalType.ADD
            && Arrays.equals(p.getAdd().keyPackage.getLeafNode().getSignatureKey(), signatureKey));
    }

    private boolean queuedRemove(LeafIndex leaf) {
        return queued.values().stream().anyMatch(p -> p.getProposalType() == ProposalType.REMOVE
            && p.getRemove().removed.value() == leaf.value());
    }

    /**
     * The members of {@code next}: leaves that did not change keep their verified identity, every new
     * or changed leaf is verified. The committer's leaf changes with its UpdatePath and must keep its
     * user and device (§5.3.3).
     */
    private SortedMap<LeafIndex, MemberIdentity> rosterAfter(Group next, LeafIndex committer)
        throws CredentialRejectedException {
        SortedMap<LeafIndex, MemberIdentity> result = new TreeMap<>();
        TreeKEMPublicKey before = group.getTree();
        TreeKEMPublicKey after = next.getTree();
        for (int i = 0; i < after.getSize().leafCount(); i++) {
            LeafIndex index = new LeafIndex(i);
            LeafNode leaf = after.getLeafNode(index.toMls());
            if (leaf == null) {
                continue;
            }
            MemberIdentity known = roster.get(index);
            if (known != null && leaf.equals(before.getLeafNode(index.toMls()))) {
                result.put(index, known);
                continue;
            }
            MemberIdentity identity = verifier.verify(leaf);
            if (known != null && index.equals(committer) && !identity.equals(known)) {
                throw new CredentialRejectedException(Reason.IDENTITY_CHANGED,
                    "the committer's leaf changed from " + known + " to " + identity);
            }
            result.put(index, identity);
        }
        return result;
    }

    private void adopt(Group next, SortedMap<LeafIndex, MemberIdentity> nextRoster) {
        group = next;
        roster = nextRoster;
        queued.clear();
        removalsOfMe.clear();
        outstanding.clear();
    }

    private static Proposal addProposal(KeyPackage keyPackage) {
        try {
            return Proposal.add(keyPackage);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a decoded KeyPackage", e);
        }
    }

    private static KeyPackage decodeKeyPackage(byte[] bytes) throws MalformedMessageException {
        MLSMessage message = Handshake.decode(bytes);
        if (message.wireFormat != WireFormat.mls_key_package) {
            throw new MalformedMessageException("expected a KeyPackage, got " + message.wireFormat);
        }
        return message.keyPackage;
    }

    private void requireMember() {
        if (removed) {
            throw new IllegalStateException("this member was removed from the group at epoch " + epoch());
        }
    }

    /** Whether proposals wait for a commit (this member's or another's). */
    public boolean hasQueuedProposals() {
        return !queued.isEmpty();
    }

    /** Whether a commit removed this member; it then handles and commits nothing more. */
    public boolean isRemoved() {
        return removed;
    }

    public long epoch() {
        return group.getEpoch();
    }

    public LeafIndex leafIndex() {
        return new LeafIndex(group.getIndex().value());
    }

    public GroupId groupId() {
        return new GroupId(group.getGroupID());
    }

    /** The group's members by leaf, as their certificates name them. */
    public SortedMap<LeafIndex, MemberIdentity> members() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(roster));
    }

    /**
     * The epoch authenticator (RFC 9420 §8.7): equal for all members of an epoch, so members that
     * compare it out of band know they share the epoch's secrets.
     */
    public byte[] epochAuthenticator() {
        synchronized (Suite.LOCK) {
            return group.getEpochAuthenticator().clone();
        }
    }

    /** MLS-Exporter(label, context, length) of the current epoch (RFC 9420 §8.5). */
    public byte[] exporter(String label, byte[] context, int length) {
        synchronized (Suite.LOCK) {
            try {
                return group.getKeySchedule().MLSExporter(label, context, length);
            } catch (IOException e) {
                throw new IllegalStateException("cannot derive an exporter secret", e);
            }
        }
    }

    /** The SFrame keys of the current epoch (RFC 9605 §5.2). */
    public SFrameKeys sframeKeys() {
        synchronized (Suite.LOCK) {
            byte[] baseKey = exporter(SFrameKeys.EXPORTER_LABEL, new byte[0], SFrameKeys.KEY_LENGTH);
            return new SFrameKeys(baseKey, epoch(), (int) group.getTree().getSize().leafCount());
        }
    }
}
