package dev.parley.client.mls;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.mls.codec.KeyPackage;
import org.bouncycastle.mls.codec.MLSMessage;
import org.bouncycastle.mls.codec.MLSOutputStream;
import org.bouncycastle.mls.codec.Proposal;

/**
 * A test world: the Parley CA, the key-distribution service (an external sender that signs Add and
 * Remove proposals like the real one does), and devices with certificates from that CA.
 */
final class Parley {
    final TestCa ca = TestCa.create("Parley test CA");
    final CredentialVerifier verifier = ca.verifier();
    final DeviceKeys serviceKeys = DeviceKeys.generate();
    final ExternalSenderKey service = ca.service(serviceKeys.publicKey());

    /** A device of one user: its keys, its certificate, its unused KeyPackages. */
    final class Device {
        final DeviceKeys keys = DeviceKeys.generate();
        final CredentialChain chain;
        final List<KeyPackageBundle> keyPackages = new ArrayList<>();

        Device(String userId, String deviceId) {
            chain = ca.device(keys.publicKey(), userId, deviceId);
        }

        KeyPackageBundle keyPackage() {
            KeyPackageBundle bundle = keys.newKeyPackage(chain);
            keyPackages.add(bundle);
            return bundle;
        }

        MlsMember create() throws MlsException {
            byte[] id = new byte[32];
            new SecureRandom().nextBytes(id);
            return MlsMember.create(new GroupId(id), keys, chain, service, verifier);
        }

        MlsMember join(byte[] welcome) throws MlsException {
            return MlsMember.join(welcome, keyPackages, keys, service, verifier).orElseThrow();
        }
    }

    Device device(String userId, String deviceId) {
        return new Device(userId, deviceId);
    }

    /** An Add proposal from the key-distribution service (RFC 9420 §12.1.8.1). */
    byte[] externalAdd(MlsMember member, KeyPackage keyPackage) throws Exception {
        return external(member, Proposal.add(keyPackage));
    }

    /** A Remove proposal from the key-distribution service. */
    byte[] externalRemove(MlsMember member, LeafIndex leaf) throws Exception {
        return external(member, Proposal.remove(leaf.toMls()));
    }

    private byte[] external(MlsMember member, Proposal proposal) throws Exception {
        synchronized (Suite.LOCK) {
            return MLSOutputStream.encode(MLSMessage.externalProposal(Suite.SUITE, member.groupId().value(),
                member.epoch(), proposal, 0, serviceKeys.privateKey()));
        }
    }
}
