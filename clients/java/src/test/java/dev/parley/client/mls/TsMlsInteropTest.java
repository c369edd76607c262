package dev.parley.client.mls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.parley.client.mls.HandleResult.Outcome;

/**
 * A group of bcmls members (this library) and one ts-mls 1.6.4 member (the web app's library, under
 * Node.js) with Parley's X.509 credentials and external sender: at every epoch both sides derive the
 * same SFrame base key (MLS-Exporter) and the same epoch authenticator, whichever side commits. Both
 * sides check the X.509 chains (the Node.js side with node:crypto).
 */
class TsMlsInteropTest {
    private final Parley parley = new Parley();
    private NodeScript web;

    @BeforeEach
    void startTsMls() throws Exception {
        web = NodeScript.start("interop.mjs");
    }

    @AfterEach
    void stopTsMls() throws Exception {
        web.close();
    }

    @Test
    void bcmlsAndTsMlsAgreeAtEveryEpochWhicheverSideCommits() throws Exception {
        byte[] webKey = decode(web.call(Map.of("op", "init", "ca", encode(parley.ca.certificate()))).get("publicKey"));
        CredentialChain webChain = parley.ca.device(webKey, "wendy", "browser");
        String webKeyPackage = web.call(Map.of("op", "keyPackage", "certificates",
            webChain.certificates().stream().map(TsMlsInteropTest::encode).toList())).get("keyPackage").asText();

        // epoch 1: Java creates the group and adds the ts-mls member and a Java member
        Parley.Device alice = parley.device("alice", "laptop");
        Parley.Device bob = parley.device("bob", "phone");
        MlsMember a = alice.create();
        PendingCommit first = a.commit(List.of(Base64.getDecoder().decode(webKeyPackage), bob.keyPackage().message()),
            List.of());
        a.confirm(first);
        JsonNode joined = web.call(Map.of("op", "join", "welcome", encode(first.welcomeMessage().orElseThrow())));
        assertThat(joined.get("externalSenders").asInt()).isEqualTo(1);
        MlsMember b = bob.join(first.welcomeMessage().orElseThrow());
        assertSame(joined, a, b);
        assertThat(a.members().values()).extracting(MemberIdentity::userId).contains("wendy");

        // epoch 2: ts-mls commits an Add of a Java member; Java processes it, the joiner uses its Welcome
        Parley.Device carol = parley.device("carol", "tablet");
        JsonNode webCommit = web.call(Map.of("op", "commit", "add", List.of(encode(carol.keyPackage().message()))));
        assertThat(a.handle(decode(webCommit.get("commit"))).outcome()).isEqualTo(Outcome.EPOCH_ADVANCED);
        assertThat(b.handle(decode(webCommit.get("commit"))).outcome()).isEqualTo(Outcome.EPOCH_ADVANCED);
        MlsMember c = carol.join(decode(webCommit.get("welcome")));
        assertSame(webCommit, a, b, c);

        // epoch 3: a Java member removes another (inline: see the external-sender test below)
        PendingCommit removal = c.commit(List.of(), List.of(b.leafIndex()));
        c.confirm(removal);
        a.handle(removal.commitMessage());
        assertThat(b.handle(removal.commitMessage()).outcome()).isEqualTo(Outcome.REMOVED);
        JsonNode afterRemoval = web.call(Map.of("op", "process", "message", encode(removal.commitMessage())));
        assertSame(afterRemoval, a, c);
        assertThat(b.sframeKeys().baseKey()).isNotEqualTo(a.sframeKeys().baseKey());

        // epoch 4: ts-mls commits nothing but a new path (a key update)
        JsonNode update = web.call(Map.of("op", "commit"));
        assertThat(update.get("welcome").isNull()).isTrue();
        a.handle(decode(update.get("commit")));
        c.handle(decode(update.get("commit")));
        assertSame(update, a, c);
        assertThat(a.epoch()).isEqualTo(4);
    }

    /**
     * RFC 9420 §12.1.8.1 makes external_senders a list ({@code ExternalSender external_senders<V>}) and
     * a sender_index an index into it, which is what bcmls writes and reads. ts-mls 1.6.4 (and
     * 2.0.0-rc.10) reads each external_senders extension as one ExternalSender, the form before
     * mls-protocol PR #682, so it cannot check the key-distribution service's proposals. This test
     * pins that gap: when it fails, ts-mls reads the RFC's list and the external proposal flow can
     * join the interop test above.
     */
    @Test
    void tsMlsCannotReadTheRfcExternalSendersList() throws Exception {
        byte[] webKey = decode(web.call(Map.of("op", "init", "ca", encode(parley.ca.certificate()))).get("publicKey"));
        String webKeyPackage = web.call(Map.of("op", "keyPackage", "certificates",
            parley.ca.device(webKey, "wendy", "browser").certificates().stream().map(TsMlsInteropTest::encode).toList()))
            .get("keyPackage").asText();
        MlsMember a = parley.device("alice", "laptop").create();
        PendingCommit add = a.commit(List.of(Base64.getDecoder().decode(webKeyPackage)), List.of());
        a.confirm(add);
        web.call(Map.of("op", "join", "welcome", encode(add.welcomeMessage().orElseThrow())));
        byte[] proposal = parley.externalAdd(a, parley.device("dave", "desk").keyPackage().keyPackage());

        assertThat(a.handle(proposal).outcome()).isEqualTo(Outcome.PROPOSAL_QUEUED);
        assertThatThrownBy(() -> web.call(Map.of("op", "process", "message", encode(proposal))))
            .hasMessageContaining("Could not decode ExternalSender");
    }

    private static void assertSame(JsonNode web, MlsMember... members) {
        GroupLifecycleTest.assertAgree(members);
        assertThat(web.get("epoch").asLong()).isEqualTo(members[0].epoch());
        assertThat(decode(web.get("epochAuthenticator"))).isEqualTo(members[0].epochAuthenticator());
        assertThat(decode(web.get("sframeBaseKey"))).isEqualTo(members[0].sframeKeys().baseKey());
    }

    private static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] decode(JsonNode text) {
        return Base64.getDecoder().decode(text.asText());
    }
}
