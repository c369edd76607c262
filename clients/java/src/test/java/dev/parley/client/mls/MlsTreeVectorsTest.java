package dev.parley.client.mls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.bouncycastle.mls.TreeKEM.LeafIndex;
import org.bouncycastle.mls.TreeKEM.LeafNode;
import org.bouncycastle.mls.TreeKEM.NodeIndex;
import org.bouncycastle.mls.TreeKEM.TreeKEMPrivateKey;
import org.bouncycastle.mls.TreeKEM.TreeKEMPublicKey;
import org.bouncycastle.mls.codec.Extension;
import org.bouncycastle.mls.codec.GroupContext;
import org.bouncycastle.mls.codec.MLSInputStream;
import org.bouncycastle.mls.codec.MLSOutputStream;
import org.bouncycastle.mls.codec.UpdatePath;
import org.bouncycastle.mls.crypto.MlsCipherSuite;
import org.bouncycastle.mls.crypto.Secret;
import org.bouncycastle.mls.protocol.Group;
import org.junit.jupiter.api.Test;

/**
 * The working group's tree-validation and treekem vectors (RFC 9420 §7), cut to their first cases
 * of cipher suite 1, against bcmls' {@link TreeKEMPublicKey} and {@link TreeKEMPrivateKey}. Which
 * cases are kept and why: src/test/resources/mls-test-vectors/README.md and docs/mls-interop.md.
 */
class MlsTreeVectorsTest {

    /** Leaf signatures, the tree hash and the resolution of every node, and the parent hashes. */
    @Test
    void treeValidation() throws Exception {
        List<VectorFile.Case> cases = VectorFile.read("tree-validation.txt");
        int nodes = 0;
        for (VectorFile.Case c : cases) {
            MlsCipherSuite suite = MlsCipherSuite.getSuite((short) c.number("cipher_suite"));
            TreeKEMPublicKey tree = tree(suite, c.hex("tree"));
            byte[] groupId = c.hex("group_id");
            for (int i = 0; i < tree.getSize().leafCount(); i++) {
                LeafNode leaf = tree.getLeafNode(new LeafIndex(i));
                if (leaf != null) {
                    assertThat(leaf.verify(suite, leaf.toBeSigned(groupId, i))).as("leaf %d signature", i).isTrue();
                }
            }
            List<String> hashes = c.lists().get("tree_hashes");
            List<List<NodeIndex>> resolutions = resolutions(c.lists().get("resolutions"));
            assertThat(hashes).hasSize((int) tree.getSize().width());
            assertThat(resolutions).hasSize((int) tree.getSize().width());
            for (int i = 0; i < tree.getSize().width(); i++) {
                NodeIndex node = new NodeIndex(i);
                assertThat(tree.getHash(node)).as("tree hash of node %d", i).isEqualTo(HexFormat.of().parseHex(hashes.get(i)));
                assertThat(tree.resolve(node)).as("resolution of node %d", i).isEqualTo(resolutions.get(i));
                nodes++;
            }
            assertThat(tree.verifyParentHash()).isTrue();
        }
        assertThat(cases).hasSize(2);
        assertThat(nodes).isEqualTo(3 + 7);
    }

    /** {@code iSTART, node, ..., iSTOP} for each node i, as Bouncy Castle's transcription writes them. */
    private static List<List<NodeIndex>> resolutions(List<String> lines) {
        List<List<NodeIndex>> out = new ArrayList<>();
        List<NodeIndex> current = null;
        for (String line : lines) {
            if (line.endsWith("START")) {
                current = new ArrayList<>();
            } else if (line.endsWith("STOP")) {
                out.add(current);
            } else if (!line.isEmpty()) {
                current.add(new NodeIndex(Long.parseLong(line)));
            }
        }
        return out;
    }

    private static TreeKEMPublicKey tree(MlsCipherSuite suite, byte[] bytes) throws Exception {
        TreeKEMPublicKey tree = (TreeKEMPublicKey) MLSInputStream.decode(bytes, TreeKEMPublicKey.class);
        assertThat(MLSOutputStream.encode(tree)).isEqualTo(bytes);
        tree.setSuite(suite);
        tree.setHashAll();
        return tree;
    }

    /**
     * RFC 9420 §7.4–7.6 and §12.4.2: each member's private state (leaf key and path secrets) is
     * consistent with the tree; each UpdatePath of the vector verifies, merges to the vector's tree
     * hash, and every other member decrypts from it the vector's commit secret and the path secret
     * it shares with the sender. Then bcmls encaps a fresh UpdatePath for the same sender, and every
     * other member decaps the sender's commit secret from it.
     */
    @Test
    void treeKem() throws Exception {
        List<VectorFile.Case> cases = VectorFile.read("treekem.txt");
        int decaps = 0;
        for (VectorFile.Case c : cases) {
            MlsCipherSuite suite = MlsCipherSuite.getSuite((short) c.number("cipher_suite"));
            byte[] groupId = c.hex("group_id");
            TreeKEMPublicKey tree = tree(suite, c.hex("ratchet_tree"));
            assertThat(tree.verifyParentHash()).isTrue();
            for (int i = 0; i < tree.getSize().leafCount(); i++) {
                LeafNode leaf = tree.getLeafNode(new LeafIndex(i));
                if (leaf != null) {
                    assertThat(leaf.verify(suite, leaf.toBeSigned(groupId, i))).isTrue();
                }
            }

            Map<LeafIndex, TreeKEMPrivateKey> privates = new HashMap<>();
            Map<LeafIndex, byte[]> signers = new HashMap<>();
            for (VectorFile.Case member : c.groups().get("leaves_private")) {
                LeafIndex index = new LeafIndex(member.number("index"));
                TreeKEMPrivateKey priv = new TreeKEMPrivateKey(suite, index);
                priv.insertPrivateKey(new NodeIndex(index),
                    suite.getHPKE().deserializePrivateKey(member.hex("encryption_priv"), null));
                for (VectorFile.Case secret : member.groups().getOrDefault("path_secrets", List.of())) {
                    priv.insertPathSecret(new NodeIndex(secret.number("node")), new Secret(secret.hex("path_secret")));
                }
                assertThat(priv.consistent(tree)).as("private state of leaf %d", index.value()).isTrue();
                privates.put(index, priv);
                signers.put(index, member.hex("signature_priv"));
            }

            for (VectorFile.Case update : c.groups().get("update_paths")) {
                LeafIndex from = new LeafIndex(update.number("sender"));
                UpdatePath path = (UpdatePath) MLSInputStream.decode(update.hex("update_path"), UpdatePath.class);
                assertThat(MLSOutputStream.encode(path)).isEqualTo(update.hex("update_path"));
                assertThat(tree.verifyParentHash(from, path)).isTrue();
                TreeKEMPublicKey after = TreeKEMPublicKey.clone(tree);
                after.merge(from, path);
                after.setHashAll();
                assertThat(after.getRootHash()).isEqualTo(update.hex("tree_hash_after"));
                byte[] context = MLSOutputStream.encode(new GroupContext(suite, groupId, Long.parseLong(c.text("epoch")),
                    after.getRootHash(), c.hex("confirmed_transcript_hash"), new ArrayList<Extension>()));
                List<String> shared = update.lists().get("path_secrets").stream().filter(s -> !s.isEmpty()).toList();
                assertThat(shared).hasSize((int) after.getSize().leafCount());
                for (int i = 0; i < after.getSize().leafCount(); i++) {
                    LeafIndex to = new LeafIndex(i);
                    if (to.equals(from) || !after.hasLeaf(to)) {
                        assertThat(shared.get(i)).isEqualTo("None");
                        continue;
                    }
                    TreeKEMPrivateKey priv = privates.get(to).copy();
                    priv.decap(from, after, context, path, new ArrayList<LeafIndex>());
                    assertThat(priv.getUpdateSecret().value()).isEqualTo(update.hex("commit_secret"));
                    assertThat(priv.getSharedPathSecret(from).value()).isEqualTo(HexFormat.of().parseHex(shared.get(i)));
                    decaps++;
                }

                // bcmls' own encap for the same sender, decapped by every other member
                TreeKEMPublicKey encapTree = TreeKEMPublicKey.clone(tree);
                TreeKEMPrivateKey sender = encapTree.update(from, new Secret(new byte[suite.getKDF().getHashLength()]),
                    groupId, signers.get(from), new Group.LeafNodeOptions());
                UpdatePath fresh = encapTree.encap(sender, context, new ArrayList<LeafIndex>());
                for (int i = 0; i < encapTree.getSize().leafCount(); i++) {
                    LeafIndex to = new LeafIndex(i);
                    if (to.equals(from) || !encapTree.hasLeaf(to)) {
                        continue;
                    }
                    TreeKEMPrivateKey priv = privates.get(to).copy();
                    priv.decap(from, encapTree, context, fresh, new ArrayList<LeafIndex>());
                    assertThat(priv.getUpdateSecret().value()).isEqualTo(sender.getUpdateSecret().value());
                    decaps++;
                }
            }
        }
        assertThat(cases).hasSize(1);
        assertThat(decaps).isEqualTo(4);
    }
}
