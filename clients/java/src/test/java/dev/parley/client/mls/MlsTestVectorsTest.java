package dev.parley.client.mls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

import org.bouncycastle.mls.GroupKeySet;
import org.bouncycastle.mls.KeyGeneration;
import org.bouncycastle.mls.KeyScheduleEpoch;
import org.bouncycastle.mls.TranscriptHash;
import org.bouncycastle.mls.TreeKEM.NodeIndex;
import org.bouncycastle.mls.TreeSize;
import org.bouncycastle.mls.TreeKEM.TreeKEMPublicKey;
import org.bouncycastle.mls.codec.AuthenticatedContent;
import org.bouncycastle.mls.codec.ContentType;
import org.bouncycastle.mls.codec.Extension;
import org.bouncycastle.mls.codec.FramedContent;
import org.bouncycastle.mls.codec.GroupContext;
import org.bouncycastle.mls.codec.GroupInfo;
import org.bouncycastle.mls.codec.GroupSecrets;
import org.bouncycastle.mls.codec.MLSInputStream;
import org.bouncycastle.mls.codec.MLSMessage;
import org.bouncycastle.mls.codec.MLSOutputStream;
import org.bouncycastle.mls.codec.PreSharedKeyID;
import org.bouncycastle.mls.codec.PrivateMessage;
import org.bouncycastle.mls.codec.Proposal;
import org.bouncycastle.mls.codec.PublicMessage;
import org.bouncycastle.mls.codec.Sender;
import org.bouncycastle.mls.codec.Varint;
import org.bouncycastle.mls.codec.WireFormat;
import org.bouncycastle.mls.crypto.MlsCipherSuite;
import org.bouncycastle.mls.crypto.Secret;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The MLS working group's interop test vectors (mlswg/mls-implementations, test-vectors.md) that
 * bcmls' public API can take, run against bcmls 1.84. Which vectors are here, and which are not and
 * why: docs/mls-interop.md.
 */
class MlsTestVectorsTest {

    @Test
    void treeMath() throws Exception {
        List<VectorFile.Case> cases = VectorFile.read("tree-math.txt");
        for (VectorFile.Case c : cases) {
            TreeSize size = TreeSize.forLeaves(c.number("n_leaves"));
            assertThat(size.width()).isEqualTo(c.number("n_nodes"));
            assertThat(NodeIndex.root(size).value()).isEqualTo(c.number("root"));
            for (int i = 0; i < size.width(); i++) {
                NodeIndex node = new NodeIndex(i);
                expectNode(c.lists().get("left").get(i), node.isLeaf() ? null : node.left());
                expectNode(c.lists().get("right").get(i), node.isLeaf() ? null : node.right());
                if (i != NodeIndex.root(size).value()) {
                    expectNode(c.lists().get("parent").get(i), node.parent());
                    expectNode(c.lists().get("sibling").get(i), node.sibling());
                }
            }
        }
        assertThat(cases).hasSize(5);
    }

    private static void expectNode(String expected, NodeIndex actual) {
        if (expected.equals("null")) {
            assertThat(actual).isNull();
        } else {
            assertThat(actual.value()).isEqualTo(Long.parseLong(expected));
        }
    }

    @Test
    void cryptoBasics() throws Exception {
        List<VectorFile.Case> cases = VectorFile.read("crypto-basics.txt");
        for (VectorFile.Case c : cases) {
            MlsCipherSuite suite = MlsCipherSuite.getSuite((short) c.number("cipherSuite"));
            assertThat(suite.refHash(c.hex("refHash_value"), c.text("refHash_label"))).isEqualTo(c.hex("refHash_out"));
            assertThat(suite.getKDF().expandWithLabel(c.hex("expandWithLabel_secret"), c.text("expandWithLabel_label"),
                c.hex("expandWithLabel_context"), c.number("expandWithLabel_length")))
                .isEqualTo(c.hex("expandWithLabel_out"));
            assertThat(new Secret(c.hex("deriveSecret_secret")).deriveSecret(suite, c.text("deriveSecret_label")).value())
                .isEqualTo(c.hex("deriveSecret_out"));
            assertThat(new Secret(c.hex("deriveTreeSecret_secret")).deriveTreeSecret(suite,
                c.text("deriveTreeSecret_label"), c.number("deriveTreeSecret_generation"),
                c.number("deriveTreeSecret_length")).value()).isEqualTo(c.hex("deriveTreeSecret_out"));

            byte[] content = c.hex("signWithLabel_content");
            String signLabel = c.text("signWithLabel_label");
            assertThat(suite.verifyWithLabel(c.hex("signWithLabel_pub"), signLabel, content,
                c.hex("signWithLabel_signature"))).isTrue();
            byte[] signature = suite.signWithLabel(c.hex("signWithLabel_priv"), signLabel, content);
            assertThat(suite.verifyWithLabel(c.hex("signWithLabel_pub"), signLabel, content, signature)).isTrue();

            String label = c.text("encryptWithLabel_label");
            byte[] context = c.hex("encryptWithLabel_context");
            byte[] plaintext = c.hex("encryptWithLabel_plaintext");
            assertThat(suite.decryptWithLabel(c.hex("encryptWithLabel_priv"), label, context,
                c.hex("encryptWithLabel_kemOutput"), c.hex("encryptWithLabel_ciphertext"))).isEqualTo(plaintext);
            byte[][] sealed = suite.encryptWithLabel(c.hex("encryptWithLabel_pub"), label, context, plaintext);
            assertThat(suite.decryptWithLabel(c.hex("encryptWithLabel_priv"), label, context, sealed[1], sealed[0]))
                .isEqualTo(plaintext);
        }
        assertThat(cases).hasSize(3);
    }

    @Test
    void keySchedule() throws Exception {
        int epochs = 0;
        for (VectorFile.Case c : VectorFile.read("key-schedule.txt")) {
            MlsCipherSuite suite = MlsCipherSuite.getSuite((short) c.number("cipher_suite"));
            Secret initSecret = new Secret(c.hex("initial_init_secret"));
            List<VectorFile.Case> epochCases = c.groups().get("epochs");
            for (int epoch = 0; epoch < epochCases.size(); epoch++) {
                VectorFile.Case e = epochCases.get(epoch);
                KeyScheduleEpoch schedule = checkEpoch(suite, c.hex("group_id"), epoch, initSecret, e::hex);
                // the exporter label as the vectors' generator passed it: the hex text itself
                assertThat(schedule.MLSExporter(e.text("exporterLabel"), e.hex("exporterContext"),
                    e.number("exporterLength"))).isEqualTo(e.hex("exporterSecret"));
                initSecret = schedule.initSecret;
                epochs++;
            }
        }
        assertThat(epochs).isEqualTo(5);
    }

    /**
     * The same test on the working group's own JSON file, from an earlier commit (two epochs). Its
     * exporter values predate RFC 9420's MLS-Exporter, which expands with the label "exported"
     * (§8.5); they were made with "exporter", which this test shows instead of skipping them.
     */
    @Test
    void keyScheduleJson() throws Exception {
        JsonNode file;
        try (InputStream in = getClass().getResourceAsStream("/mls-test-vectors/key-schedule.json")) {
            file = new ObjectMapper().readTree(in);
        }
        int epochs = 0;
        for (JsonNode c : file) {
            MlsCipherSuite suite = MlsCipherSuite.getSuite((short) c.get("cipher_suite").asInt());
            Secret initSecret = new Secret(hex(c, "initial_init_secret"));
            for (int epoch = 0; epoch < c.get("epochs").size(); epoch++) {
                JsonNode e = c.get("epochs").get(epoch);
                JsonNode exporter = e.get("exporter");
                KeyScheduleEpoch schedule = checkEpoch(suite, hex(c, "group_id"), epoch, initSecret, key -> hex(e, key));
                String label = exporter.get("label").asText();
                byte[] context = hex(exporter, "context");
                int length = exporter.get("length").asInt();
                assertThat(schedule.MLSExporter(label, context, length)).isNotEqualTo(hex(exporter, "secret"));
                assertThat(schedule.exporterSecret.deriveSecret(suite, label)
                    .expandWithLabel(suite, "exporter", suite.hash(context), length).value())
                    .isEqualTo(hex(exporter, "secret"));
                initSecret = schedule.initSecret;
                epochs++;
            }
        }
        assertThat(epochs).isEqualTo(2);
    }

    private static byte[] hex(JsonNode node, String key) {
        return HexFormat.of().parseHex(node.get(key).asText().toLowerCase(java.util.Locale.ROOT));
    }

    /** RFC 9420 §8: one epoch of the key schedule, all its secrets but the exporter's output. */
    private static KeyScheduleEpoch checkEpoch(MlsCipherSuite suite, byte[] groupId, int epoch, Secret initSecret,
        Function<String, byte[]> e) throws Exception {
        byte[] context = MLSOutputStream.encode(new GroupContext(suite, groupId, epoch, e.apply("tree_hash"),
            e.apply("confirmed_transcript_hash"), new ArrayList<Extension>()));
        assertThat(context).isEqualTo(e.apply("group_context"));

        KeyScheduleEpoch.JoinSecrets join = KeyScheduleEpoch.JoinSecrets.forMember(suite, initSecret,
            new Secret(e.apply("commit_secret")), new Secret(new byte[0]), context);
        join.injectPskSecret(new Secret(e.apply("psk_secret")));
        assertThat(join.joinerSecret.value()).isEqualTo(e.apply("joiner_secret"));
        assertThat(join.welcomeSecret.value()).isEqualTo(e.apply("welcome_secret"));

        KeyScheduleEpoch schedule = join.complete(TreeSize.forLeaves(1), context);
        assertThat(schedule.initSecret.value()).isEqualTo(e.apply("init_secret"));
        assertThat(schedule.senderDataSecret.value()).isEqualTo(e.apply("sender_data_secret"));
        assertThat(schedule.encryptionSecret.value()).isEqualTo(e.apply("encryption_secret"));
        assertThat(schedule.exporterSecret.value()).isEqualTo(e.apply("exporter_secret"));
        assertThat(schedule.epochAuthenticator.value()).isEqualTo(e.apply("epoch_authenticator"));
        assertThat(schedule.externalSecret.value()).isEqualTo(e.apply("external_secret"));
        assertThat(schedule.confirmationKey.value()).isEqualTo(e.apply("confirmation_key"));
        assertThat(schedule.membershipKey.value()).isEqualTo(e.apply("membership_key"));
        assertThat(schedule.resumptionPSK.value()).isEqualTo(e.apply("resumption_psk"));
        assertThat(suite.getHPKE().serializePublicKey(schedule.getExternalPublicKey())).isEqualTo(e.apply("external_pub"));
        return schedule;
    }

    @Test
    void secretTree() throws Exception {
        List<VectorFile.Case> cases = VectorFile.read("secret-tree.txt");
        for (VectorFile.Case c : cases) {
            MlsCipherSuite suite = MlsCipherSuite.getSuite((short) c.number("cipher_suite"));
            byte[] sample = Arrays.copyOf(c.hex("ciphertext"), suite.getKDF().getHashLength());
            assertThat(suite.getKDF().expandWithLabel(c.hex("sender_data_secret"), "key", sample,
                suite.getAEAD().getKeySize())).isEqualTo(c.hex("key"));
            assertThat(suite.getKDF().expandWithLabel(c.hex("sender_data_secret"), "nonce", sample,
                suite.getAEAD().getNonceSize())).isEqualTo(c.hex("nonce"));

            // two generations per leaf, leaf by leaf
            List<VectorFile.Case> generations = c.groups().get("leaves");
            int leaves = generations.size() / 2;
            GroupKeySet keys = new GroupKeySet(suite, TreeSize.forLeaves(leaves), new Secret(c.hex("encryption_secret")));
            for (int i = 0; i < generations.size(); i++) {
                VectorFile.Case g = generations.get(i);
                org.bouncycastle.mls.TreeKEM.LeafIndex leaf = new LeafIndex(i / 2).toMls();
                KeyGeneration handshake = keys.handshakeRatchet(leaf).get(g.number("generation"));
                KeyGeneration application = keys.applicationRatchet(leaf).get(g.number("generation"));
                assertThat(handshake.key).isEqualTo(g.hex("handshake_key"));
                assertThat(handshake.nonce).isEqualTo(g.hex("handshake_nonce"));
                assertThat(application.key).isEqualTo(g.hex("application_key"));
                assertThat(application.nonce).isEqualTo(g.hex("application_nonce"));
            }
        }
        assertThat(cases).hasSize(2);
    }

    @Test
    void transcriptHashes() throws Exception {
        List<VectorFile.Case> cases = VectorFile.read("transcript-hashes.txt");
        for (VectorFile.Case c : cases) {
            MlsCipherSuite suite = MlsCipherSuite.getSuite((short) c.number("cipher_suite"));
            AuthenticatedContent commit = (AuthenticatedContent) MLSInputStream.decode(c.hex("authenticated_content"),
                AuthenticatedContent.class);
            TranscriptHash transcript = new TranscriptHash(suite);
            transcript.setInterim(c.hex("interim_transcript_hash_before"));
            transcript.update(commit);
            assertThat(transcript.getConfirmed()).isEqualTo(c.hex("confirmed_transcript_hash_after"));
            assertThat(transcript.getInterim()).isEqualTo(c.hex("interim_transcript_hash_after"));
            assertThat(suite.getKDF().extract(c.hex("confirmation_key"), transcript.getConfirmed()))
                .isEqualTo(commit.getConfirmationTag());
        }
        assertThat(cases).hasSize(3);
    }

    @Test
    void welcome() throws Exception {
        List<VectorFile.Case> cases = VectorFile.read("welcome.txt");
        for (VectorFile.Case c : cases) {
            MlsCipherSuite suite = MlsCipherSuite.getSuite((short) c.number("cipher_suite"));
            MLSMessage welcome = (MLSMessage) MLSInputStream.decode(c.hex("welcome"), MLSMessage.class);
            MLSMessage keyPackage = (MLSMessage) MLSInputStream.decode(c.hex("key_package"), MLSMessage.class);
            assertThat(MLSOutputStream.encode(welcome)).isEqualTo(c.hex("welcome"));
            assertThat(MLSOutputStream.encode(keyPackage)).isEqualTo(c.hex("key_package"));

            int index = welcome.welcome.find(keyPackage.keyPackage);
            assertThat(index).isNotNegative();
            GroupSecrets secrets = welcome.welcome.decryptSecrets(index, c.hex("init_priv"));
            GroupInfo groupInfo = welcome.welcome.decrypt(secrets.joiner_secret, new ArrayList<>());
            assertThat(groupInfo.verify(suite, c.hex("signer_pub"))).isTrue();
            KeyScheduleEpoch schedule = KeyScheduleEpoch.joiner(suite, secrets.joiner_secret, new ArrayList<>(),
                MLSOutputStream.encode(groupInfo.getGroupContext()));
            assertThat(schedule.confirmationTag(groupInfo.getGroupContext().getConfirmedTranscriptHash()))
                .isEqualTo(groupInfo.getConfirmationTag());
        }
        assertThat(cases).hasSize(2);
    }

    /**
     * RFC 9420 §6: each protected message of the vector (PublicMessage and PrivateMessage, for a
     * proposal, a commit and an application message, sent by leaf 1 of a two-leaf group) unprotects
     * to the vector's content, and its signature verifies; then each is protected again by bcmls and
     * unprotected, which must give the same content back.
     */
    @Test
    void messageProtection() throws Exception {
        List<VectorFile.Case> cases = VectorFile.read("message-protection.txt");
        for (VectorFile.Case c : cases) {
            MlsCipherSuite suite = MlsCipherSuite.getSuite((short) c.number("cipher_suite"));
            assertThat(suite.serializeSignaturePublicKey(suite.deserializeSignaturePrivateKey(c.hex("signature_priv"))
                .getPublic())).isEqualTo(c.hex("signature_pub"));
            GroupContext context = new GroupContext(suite, c.hex("group_id"), Long.parseLong(c.text("epoch")),
                c.hex("tree_hash"), c.hex("confirmed_transcript_hash"), new ArrayList<Extension>());
            Protection protection = new Protection(suite, c, context);

            for (String kind : List.of("proposal", "commit", "application")) {
                byte[] content = c.hex(kind);
                List<String> wires = kind.equals("application") ? List.of("priv") : List.of("pub", "priv");
                for (String wire : wires) {
                    MLSMessage message = (MLSMessage) MLSInputStream.decode(c.hex(kind + "_" + wire), MLSMessage.class);
                    assertThat(MLSOutputStream.encode(message)).as(kind + "_" + wire).isEqualTo(c.hex(kind + "_" + wire));
                    FramedContent opened = protection.unprotect(message);
                    assertThat(opened.getContentType()).as(kind + "_" + wire).isEqualTo(contentType(kind));
                    assertThat(opened.getContentBytes()).as(kind + "_" + wire).isEqualTo(content);

                    MLSMessage again = protection.protect(message.wireFormat, contentType(kind), content);
                    assertThat(protection.unprotect(again).getContentBytes()).as(kind + "_" + wire + " again")
                        .isEqualTo(content);
                }
            }
        }
        assertThat(cases).hasSize(3);
    }

    private static ContentType contentType(String kind) {
        return switch (kind) {
            case "proposal" -> ContentType.PROPOSAL;
            case "commit" -> ContentType.COMMIT;
            default -> ContentType.APPLICATION;
        };
    }

    /** The vector's group as seen by a member: leaf 1 of 2 sends, with the vector's secrets. */
    private record Protection(MlsCipherSuite suite, VectorFile.Case c, GroupContext context) {
        private static final org.bouncycastle.mls.TreeKEM.LeafIndex SENDER = new org.bouncycastle.mls.TreeKEM.LeafIndex(1);

        /** A fresh secret tree each time: a key generation is used once, then deleted. */
        GroupKeySet keys() throws Exception {
            return new GroupKeySet(suite, TreeSize.forLeaves(2), new Secret(c.hex("encryption_secret")));
        }

        FramedContent unprotect(MLSMessage message) throws Exception {
            byte[] contextBytes = MLSOutputStream.encode(context);
            AuthenticatedContent auth = message.wireFormat == WireFormat.mls_public_message
                ? message.publicMessage.unprotect(suite, new Secret(c.hex("membership_key")), context)
                : message.privateMessage.unprotect(suite, keys(), c.hex("sender_data_secret"));
            assertThat(auth.verify(suite, c.hex("signature_pub"), contextBytes)).isTrue();
            FramedContent content = auth.getContent();
            assertThat(content.getGroupID()).isEqualTo(c.hex("group_id"));
            assertThat(content.getEpoch()).isEqualTo(Long.parseLong(c.text("epoch")));
            assertThat(content.getSender().getSender()).isEqualTo(SENDER);
            return content;
        }

        MLSMessage protect(WireFormat wire, ContentType type, byte[] content) throws Exception {
            byte[] contextBytes = MLSOutputStream.encode(context);
            FramedContent framed = FramedContent.rawContent(c.hex("group_id"), Long.parseLong(c.text("epoch")),
                Sender.forMember(SENDER), new byte[0], type, content);
            AuthenticatedContent auth = AuthenticatedContent.sign(wire, framed, suite, c.hex("signature_priv"), contextBytes);
            if (type == ContentType.COMMIT) {
                auth.setConfirmationTag(new byte[suite.getKDF().getHashLength()]);
            }
            MLSMessage message = (MLSMessage) MLSInputStream.decode(c.hex(
                wire == WireFormat.mls_public_message ? "proposal_pub" : "proposal_priv"), MLSMessage.class);
            if (wire == WireFormat.mls_public_message) {
                message.publicMessage = PublicMessage.protect(auth, suite, c.hex("membership_key"), contextBytes);
            } else {
                message.privateMessage = PrivateMessage.protect(auth, suite, keys(), c.hex("sender_data_secret"), 0);
            }
            return (MLSMessage) MLSInputStream.decode(MLSOutputStream.encode(message), MLSMessage.class);
        }
    }

    /** RFC 9420 §8.4: psk_secret from a list of external PSKs (none to several). */
    @Test
    void pskSecret() throws Exception {
        List<VectorFile.Case> cases = VectorFile.read("psk_secret.txt");
        int psks = 0;
        for (VectorFile.Case c : cases) {
            MlsCipherSuite suite = MlsCipherSuite.getSuite((short) c.number("cipher_suite"));
            List<KeyScheduleEpoch.PSKWithSecret> list = new ArrayList<>();
            for (VectorFile.Case psk : c.groups().getOrDefault("psks", List.of())) {
                list.add(new KeyScheduleEpoch.PSKWithSecret(PreSharedKeyID.external(psk.hex("psk_id"), psk.hex("psk_nonce")),
                    new Secret(psk.hex("psk"))));
            }
            psks += list.size();
            assertThat(KeyScheduleEpoch.JoinSecrets.pskSecret(suite, list).value()).isEqualTo(c.hex("psk_secret"));
        }
        assertThat(cases).hasSize(7);
        assertThat(psks).isEqualTo(9);
    }

    /**
     * RFC 9420 §7.8 and §12.1: a ratchet tree, an Add or Update proposal applied to it, and the tree
     * that must result, byte for byte. The vectors are for cipher suite 1.
     */
    @Test
    void treeOperations() throws Exception {
        List<VectorFile.Case> cases = VectorFile.read("tree-operations.txt");
        List<Object> kinds = new ArrayList<>();
        for (VectorFile.Case c : cases) {
            TreeKEMPublicKey tree = (TreeKEMPublicKey) MLSInputStream.decode(c.hex("tree_before"), TreeKEMPublicKey.class);
            assertThat(MLSOutputStream.encode(tree)).isEqualTo(c.hex("tree_before"));
            tree.setSuite(MlsCipherSuite.getSuite(MlsCipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519));
            tree.setHashAll();
            Proposal proposal = (Proposal) MLSInputStream.decode(c.hex("proposal"), Proposal.class);
            assertThat(MLSOutputStream.encode(proposal)).isEqualTo(c.hex("proposal"));
            kinds.add(proposal.getProposalType());
            switch (proposal.getProposalType()) {
                case ADD -> tree.addLeaf(proposal.getLeafNode());
                case UPDATE -> tree.updateLeaf(new org.bouncycastle.mls.TreeKEM.LeafIndex(c.number("proposal_sender")),
                    proposal.getLeafNode());
                case REMOVE -> {
                    tree.blankPath(proposal.getRemove().removed);
                    tree.truncate();
                }
                default -> throw new AssertionError("not a tree operation: " + proposal.getProposalType());
            }
            assertThat(MLSOutputStream.encode(tree)).isEqualTo(c.hex("tree_after"));
        }
        assertThat(kinds).containsExactly(org.bouncycastle.mls.codec.ProposalType.UPDATE,
            org.bouncycastle.mls.codec.ProposalType.ADD);
    }

    /**
     * The variable-length integer header of RFC 9420 §2.1.2, both ways: the header decodes to the
     * length, and the length encodes to the header (the working group's unchanged JSON).
     */
    @Test
    void deserialization() throws Exception {
        JsonNode file;
        try (InputStream in = getClass().getResourceAsStream("/mls-test-vectors/deserialization.json")) {
            file = new ObjectMapper().readTree(in);
        }
        for (JsonNode c : file) {
            byte[] header = hex(c, "vlbytes_header");
            int length = c.get("length").asInt();
            assertThat(((Varint) MLSInputStream.decode(header, Varint.class)).value).as("header %s", c).isEqualTo(length);
            assertThat(MLSOutputStream.encode(new Varint(length))).as("length %s", c).isEqualTo(header);
        }
        assertThat(file.size()).isEqualTo(14);
    }
}
