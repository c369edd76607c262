package dev.parley.bench.keydistribution;

import dev.parley.bench.common.Latencies;
import dev.parley.bench.common.Replica;
import dev.parley.bench.common.Report;
import dev.parley.client.kd.KeyDistributionClient;
import dev.parley.client.kd.Wire;
import dev.parley.client.mls.CredentialChain;
import dev.parley.client.mls.CredentialVerifier;
import dev.parley.client.mls.DeviceKeys;
import dev.parley.client.mls.ExternalSenderKey;
import dev.parley.client.mls.GroupId;
import dev.parley.client.mls.KeyPackageBundle;
import dev.parley.client.mls.MlsMember;
import dev.parley.client.mls.PendingCommit;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * The MLS work of one member in a group of {@code members}, measured in this JVM on one thread
 * with parley-client's {@code MlsMember} alone (no service, no streams): making an empty Commit,
 * processing one, and joining from a Welcome. Devices are registered with the service for real
 * certificates. In the other phases every member of a call runs in this one JVM, and
 * parley-client does its bcmls work under one JVM-wide lock (bcmls shares a signer and a digest
 * per cipher suite), so N members process a Commit one after another: about N times the figure
 * here, which devices of their own would do at once.
 */
record MlsCost(Replica replica, People people, int members, Report report) {

    private static final int ROUNDS = 10;

    void run() throws Exception {
        People.Person person = people.person(0);
        KeyDistributionClient client = people.client(person, replica);
        Wire.Authority authority = client.authority();
        CredentialVerifier verifier = new CredentialVerifier(KeyDistributionClient.decode(authority.caCertificate()));
        List<String> chain = authority.externalSender().certificates();
        ExternalSenderKey service = new ExternalSenderKey(KeyDistributionClient.decode(authority.externalSender().signatureKey()),
                CredentialChain.of(KeyDistributionClient.decode(chain.get(0)), KeyDistributionClient.decode(chain.get(1))));

        List<DeviceKeys> keys = new ArrayList<>();
        List<Wire.Device> devices = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            DeviceKeys device = DeviceKeys.generate();
            keys.add(device);
            devices.add(client.register(device));
        }
        byte[] groupId = new byte[32];
        new SecureRandom().nextBytes(groupId);
        MlsMember first = MlsMember.create(new GroupId(groupId), keys.get(0), devices.get(0).credential(), service, verifier);
        List<KeyPackageBundle> bundles = new ArrayList<>();
        for (int i = 1; i < members; i++) {
            bundles.add(keys.get(i).newKeyPackage(devices.get(i).credential()));
        }
        long adding = System.nanoTime();
        PendingCommit add = first.commit(bundles.stream().map(KeyPackageBundle::message).toList(), List.of());
        double addMillis = (System.nanoTime() - adding) / 1e6;
        first.confirm(add);
        byte[] welcome = add.welcomeMessage().orElseThrow();
        Latencies joining = new Latencies();
        List<MlsMember> group = new ArrayList<>(List.of(first));
        for (int i = 1; i < members; i++) {
            long started = System.nanoTime();
            group.add(MlsMember.join(welcome, List.of(bundles.get(i - 1)), keys.get(i), service, verifier).orElseThrow());
            joining.record(System.nanoTime() - started);
        }

        Latencies making = new Latencies();
        Latencies processing = new Latencies();
        Latencies everyone = new Latencies();
        for (int round = -2; round < ROUNDS; round++) {
            MlsMember committer = group.get(Math.floorMod(round * 7, members));
            long started = System.nanoTime();
            PendingCommit commit = committer.commit(List.of(), List.of());
            long made = System.nanoTime();
            committer.confirm(commit);
            long all = 0;
            for (MlsMember member : group) {
                if (member != committer) {
                    long handling = System.nanoTime();
                    member.handle(commit.commitMessage());
                    long took = System.nanoTime() - handling;
                    all += took;
                    if (round >= 0) {
                        processing.record(took);
                    }
                }
            }
            if (round >= 0) {
                making.record(made - started);
                everyone.record(all);
            }
        }
        // What a typical join costs: one more member, its Commit and its Welcome (not confirmed).
        DeviceKeys newcomer = DeviceKeys.generate();
        KeyPackageBundle bundle = newcomer.newKeyPackage(client.register(newcomer).credential());
        long addingOne = System.nanoTime();
        PendingCommit addOne = group.get(0).commit(List.of(bundle.message()), List.of());
        double addOneMillis = (System.nanoTime() - addingOne) / 1e6;

        report.line("  MLS work per member in a group of %d (parley-client on one thread, no service): making an empty Commit %s",
                members, making.summary());
        report.line("    processing a Commit: %s", processing.summary());
        report.line("    all %d others processing one Commit one after another (what one JVM of members does): %s", members - 1, everyone.summary());
        report.line("    joining from the group's Welcome: %s; the Commit adding %d at once took %.0f ms to make",
                joining.summary(), members - 1, addMillis);
        report.line("    adding one member to the %d: a Commit of %.1f KiB and a Welcome of %.1f KiB (ratchet tree included), made in %.1f ms; "
                        + "the service puts the Welcome in the room's messages, so every stream of the room is sent it",
                members, addOne.commitMessage().length / 1024.0, addOne.welcomeMessage().orElseThrow().length / 1024.0, addOneMillis);
    }
}
