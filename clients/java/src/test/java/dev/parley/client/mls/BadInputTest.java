package dev.parley.client.mls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Truncated, corrupted and misdirected bytes give typed errors and leave the member working. */
class BadInputTest {
    private final Parley parley = new Parley();
    private final Parley.Device alice = parley.device("alice", "laptop");
    private final Parley.Device bob = parley.device("bob", "phone");
    private MlsMember a;
    private MlsMember b;
    private byte[] welcome;

    @BeforeEach
    void twoMembers() throws Exception {
        a = alice.create();
        PendingCommit add = a.commit(List.of(bob.keyPackage().message()), List.of());
        a.confirm(add);
        welcome = add.welcomeMessage().orElseThrow();
        b = bob.join(welcome);
    }

    @Test
    void garbageTruncatedAndCorruptedMessagesGiveTypedErrors() throws Exception {
        PendingCommit commit = a.commit(List.of(), List.of());
        byte[] proposal = parley.externalRemove(a, new LeafIndex(0));
        byte[] otherGroup = parley.device("carol", "x").create()
            .commit(List.of(parley.device("dave", "y").keyPackage().message()), List.of()).commitMessage();

        List<byte[]> bad = new ArrayList<>(List.of(new byte[0], new byte[] {0}, new byte[] {0, 1}, filled(64, 0xff),
            filled(64, 0), bob.keyPackage().message(), welcome, otherGroup));
        Random random = new Random(9420);
        for (int i = 0; i < 50; i++) {
            byte[] noise = new byte[1 + random.nextInt(300)];
            random.nextBytes(noise);
            bad.add(noise);
        }
        for (byte[] valid : List.of(commit.commitMessage(), proposal)) {
            for (int length = 0; length < valid.length; length++) {
                bad.add(Arrays.copyOf(valid, length));
            }
            bad.add(Arrays.copyOf(valid, valid.length + 1));
            // flip bits in the signature and tags at the end, where no length field is
            for (int back = 1; back <= 40; back++) {
                byte[] flipped = valid.clone();
                flipped[valid.length - back] ^= 0x01;
                bad.add(flipped);
            }
        }

        for (byte[] bytes : bad) {
            assertThatThrownBy(() -> b.handle(bytes)).isInstanceOf(MlsException.class);
        }
        assertThat(b.hasQueuedProposals()).isFalse();
        assertThat(b.epoch()).isEqualTo(1);

        // and b still works: it takes the real commit, then commits itself
        b.handle(commit.commitMessage());
        a.confirm(commit);
        PendingCommit next = b.commit(List.of(), List.of());
        b.confirm(next);
        a.handle(next.commitMessage());
        GroupLifecycleTest.assertAgree(a, b);
    }

    @Test
    void garbageAndCorruptedWelcomesGiveTypedErrors() throws Exception {
        Parley.Device carol = parley.device("carol", "phone");
        PendingCommit add = a.commit(List.of(carol.keyPackage().message()), List.of());
        byte[] valid = add.welcomeMessage().orElseThrow();

        List<byte[]> bad = new ArrayList<>(List.of(new byte[0], filled(10, 0x41), add.commitMessage(),
            carol.keyPackages.get(0).message(), Arrays.copyOf(valid, valid.length + 3)));
        for (int length = 0; length < valid.length; length += 7) {
            bad.add(Arrays.copyOf(valid, length));
        }
        for (int back = 1; back <= 40; back++) {
            byte[] flipped = valid.clone();
            flipped[valid.length - back] ^= 0x01;
            bad.add(flipped);
        }
        for (byte[] bytes : bad) {
            assertThatThrownBy(() -> MlsMember.join(bytes, carol.keyPackages, carol.keys, parley.service,
                parley.verifier)).isInstanceOf(MlsException.class);
        }

        a.confirm(add);
        b.handle(add.commitMessage());
        GroupLifecycleTest.assertAgree(a, b, carol.join(valid));
    }

    @Test
    void badKeyPackagesGiveTypedErrorsAndNoCommit() throws Exception {
        byte[] keyPackage = parley.device("carol", "phone").keyPackage().message();
        byte[] corrupted = keyPackage.clone();
        corrupted[corrupted.length - 1] ^= 0x01;

        for (byte[] bytes : List.of(new byte[0], Arrays.copyOf(keyPackage, keyPackage.length / 2), corrupted, welcome)) {
            assertThatThrownBy(() -> a.commit(List.of(bytes), List.of())).isInstanceOf(MlsException.class);
        }
        assertThatThrownBy(() -> a.commit(List.of(), List.of(a.leafIndex())))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.commit(List.of(), List.of(new LeafIndex(7))))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(a.epoch()).isEqualTo(1);
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
