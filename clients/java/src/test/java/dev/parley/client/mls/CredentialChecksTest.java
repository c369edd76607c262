package dev.parley.client.mls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.mls.TreeKEM.LeafNode;
import org.bouncycastle.mls.TreeKEM.LifeTime;
import org.bouncycastle.mls.codec.Capabilities;
import org.bouncycastle.mls.codec.Credential;
import org.bouncycastle.mls.codec.KeyPackage;
import org.bouncycastle.mls.codec.MLSMessage;
import org.bouncycastle.mls.codec.MLSOutputStream;
import org.junit.jupiter.api.Test;

import dev.parley.client.mls.CredentialRejectedException.Reason;
import dev.parley.client.mls.HandleResult.Outcome;

class CredentialChecksTest {
    private final Parley parley = new Parley();
    private final Parley.Device alice = parley.device("alice", "laptop");

    @Test
    void theVerifierReadsUserDeviceAndRoomFromTheCertificate() throws Exception {
        DeviceKeys keys = DeviceKeys.generate();
        Instant now = Instant.now();
        CredentialChain guest = parley.ca.chain(keys.publicKey(), now.minusSeconds(60), now.plusSeconds(600),
            "parley:user:guest:abc", "parley:device:d1", "parley:room:r42");

        assertThat(parley.verifier.verify(guest, keys.publicKey()))
            .isEqualTo(new MemberIdentity("guest:abc", "d1", Optional.of("r42")));
    }

    @Test
    void aCertificateWithoutUserOrDeviceIsRefused() {
        DeviceKeys keys = DeviceKeys.generate();
        Instant now = Instant.now();
        CredentialChain service = parley.ca.chain(keys.publicKey(), now.minusSeconds(60), now.plusSeconds(600),
            "parley:service:key-distribution");
        CredentialChain twoUsers = parley.ca.chain(keys.publicKey(), now.minusSeconds(60), now.plusSeconds(600),
            "parley:user:a", "parley:user:b", "parley:device:d");

        assertRejected(() -> parley.verifier.verify(service, keys.publicKey()), Reason.BAD_IDENTITY);
        assertRejected(() -> parley.verifier.verify(twoUsers, keys.publicKey()), Reason.BAD_IDENTITY);
    }

    @Test
    void aLeafWhoseCertificateKeyIsNotItsSignatureKeyIsRefusedInACommitAndInAProposal() throws Exception {
        MlsMember a = alice.create();
        Parley.Device bob = parley.device("bob", "phone");
        MlsMember b = bob.join(addAndConfirm(a, bob));
        DeviceKeys mallory = DeviceKeys.generate();
        KeyPackage forged = keyPackage(mallory, alice.chain);

        assertRejected(() -> a.commit(List.of(message(forged)), List.of()), Reason.KEY_MISMATCH);
        assertRejected(() -> b.handle(parley.externalAdd(b, forged)), Reason.KEY_MISMATCH);
        assertThat(b.hasQueuedProposals()).isFalse();
        assertThat(b.epoch()).isEqualTo(a.epoch());
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() throws Exception {
        MlsMember a = alice.create();
        TestCa other = TestCa.create("Parley test CA");
        DeviceKeys keys = DeviceKeys.generate();
        KeyPackageBundle foreign = keys.newKeyPackage(other.device(keys.publicKey(), "eve", "laptop"));

        assertRejected(() -> a.commit(List.of(foreign.message()), List.of()), Reason.UNTRUSTED_CA);
        assertRejected(() -> a.handle(parley.externalAdd(a, foreign.keyPackage())), Reason.UNTRUSTED_CA);
        assertThat(a.hasQueuedProposals()).isFalse();
    }

    @Test
    void aChainThatNamesTheTrustedCaButWasSignedByAnotherKeyIsRefused() throws Exception {
        TestCa other = TestCa.create("Parley test CA");
        DeviceKeys keys = DeviceKeys.generate();
        CredentialChain forged = CredentialChain.of(
            other.device(keys.publicKey(), "eve", "laptop").leafCertificate(), parley.ca.certificate());

        assertRejected(() -> parley.verifier.verify(forged, keys.publicKey()), Reason.BAD_SIGNATURE);
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        MlsMember a = alice.create();
        DeviceKeys keys = DeviceKeys.generate();
        Instant now = Instant.now();
        CredentialChain expired = parley.ca.chain(keys.publicKey(), now.minus(Duration.ofDays(2)),
            now.minus(Duration.ofDays(1)), "parley:user:old", "parley:device:d");
        CredentialChain early = parley.ca.chain(keys.publicKey(), now.plus(Duration.ofDays(1)),
            now.plus(Duration.ofDays(2)), "parley:user:new", "parley:device:d");

        assertRejected(() -> a.commit(List.of(keys.newKeyPackage(expired).message()), List.of()), Reason.EXPIRED);
        assertRejected(() -> parley.verifier.verify(early, keys.publicKey()), Reason.NOT_YET_VALID);
    }

    @Test
    void aBasicCredentialIsRefused() throws Exception {
        MlsMember a = alice.create();
        KeyPackage basic = keyPackage(DeviceKeys.generate(), null);

        assertRejected(() -> a.commit(List.of(message(basic)), List.of()), Reason.NOT_X509);
    }

    @Test
    void aWelcomeToAGroupWithoutTheServiceAsExternalSenderIsRefused() throws Exception {
        DeviceKeys otherService = DeviceKeys.generate();
        MlsMember a = MlsMember.create(new GroupId(new byte[32]), alice.keys, alice.chain,
            parley.ca.service(otherService.publicKey()), parley.verifier);
        Parley.Device bob = parley.device("bob", "phone");
        byte[] welcome = addAndConfirm(a, bob);

        assertThatThrownBy(() -> MlsMember.join(welcome, bob.keyPackages, bob.keys, parley.service, parley.verifier))
            .isInstanceOf(ExternalSenderMismatchException.class);
    }

    @Test
    void aJoinerVerifiesEveryLeafOfTheGroup() throws Exception {
        MlsMember a = alice.create();
        Parley.Device bob = parley.device("bob", "phone");
        byte[] welcome = addAndConfirm(a, bob);
        CredentialVerifier trustingAnotherCa = TestCa.create("another CA").verifier();

        assertRejected(() -> MlsMember.join(welcome, bob.keyPackages, bob.keys, parley.service, trustingAnotherCa),
            Reason.UNTRUSTED_CA);
        assertThat(MlsMember.join(welcome, bob.keyPackages, bob.keys, parley.service, parley.verifier)).isPresent();
    }

    @Test
    void aWelcomeForSomeoneElseIsNotAnError() throws Exception {
        MlsMember a = alice.create();
        byte[] welcome = addAndConfirm(a, parley.device("bob", "phone"));
        Parley.Device carol = parley.device("carol", "phone");
        carol.keyPackage();

        assertThat(MlsMember.join(welcome, carol.keyPackages, carol.keys, parley.service, parley.verifier)).isEmpty();
    }

    @Test
    void aMemberCannotCreateAGroupWithACredentialTheVerifierRefuses() {
        DeviceKeys keys = DeviceKeys.generate();

        assertRejected(() -> MlsMember.create(new GroupId(new byte[32]), keys, alice.chain, parley.service,
            parley.verifier), Reason.KEY_MISMATCH);
    }

    @Test
    void aProposalToRemoveSomeoneElseStillQueuesNormally() throws Exception {
        MlsMember a = alice.create();
        Parley.Device bob = parley.device("bob", "phone");
        MlsMember b = bob.join(addAndConfirm(a, bob));

        assertThat(b.handle(parley.externalRemove(b, a.leafIndex())).outcome()).isEqualTo(Outcome.PROPOSAL_QUEUED);
    }

    static byte[] addAndConfirm(MlsMember member, Parley.Device joiner) throws MlsException {
        PendingCommit commit = member.commit(List.of(joiner.keyPackage().message()), List.of());
        member.confirm(commit);
        return commit.welcomeMessage().orElseThrow();
    }

    /** A KeyPackage built directly with bcmls, so that it can carry any credential; null means basic. */
    private static KeyPackage keyPackage(DeviceKeys keys, CredentialChain chain) throws Exception {
        AsymmetricCipherKeyPair encryption = Suite.SUITE.getHPKE().generatePrivateKey();
        AsymmetricCipherKeyPair init = Suite.SUITE.getHPKE().generatePrivateKey();
        Credential credential = chain == null ? Credential.forBasic("mallory".getBytes()) : chain.toMls();
        LeafNode leaf = new LeafNode(Suite.SUITE, Suite.SUITE.getHPKE().serializePublicKey(encryption.getPublic()),
            keys.publicKey(), credential, new Capabilities(), new LifeTime(), List.of(), keys.privateKey());
        return new KeyPackage(Suite.SUITE, Suite.SUITE.getHPKE().serializePublicKey(init.getPublic()), leaf,
            List.of(), keys.privateKey());
    }

    private static byte[] message(KeyPackage keyPackage) throws Exception {
        return MLSOutputStream.encode(MLSMessage.keyPackage(keyPackage));
    }

    private static void assertRejected(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(CredentialRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
