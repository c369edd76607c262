// Runs the MLS working group's test vectors kept in src/test/resources/mls-test-vectors against
// ts-mls 1.6.4's own functions, for MlsTestVectorsTest. Input: one JSON line {"directory": ...};
// output: one JSON line with, per vector file, how many cases ran and which checks failed.
import { createInterface } from "node:readline";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getCiphersuiteImpl, mlsExporter } from "ts-mls";
import { getCiphersuiteFromId, getCiphersuiteNameFromId } from "ts-mls/crypto/ciphersuite.js";
import { refhash } from "ts-mls/crypto/hash.js";
import { deriveSecret, deriveTreeSecret, expandWithLabel } from "ts-mls/crypto/kdf.js";
import { decryptWithLabel, encryptWithLabel } from "ts-mls/crypto/hpke.js";
import { signWithLabel, verifyWithLabel } from "ts-mls/crypto/signature.js";
import { encodeGroupContext } from "ts-mls/groupContext.js";
import { initializeEpoch } from "ts-mls/keySchedule.js";
import { left, nodeWidth, parent, right, root, sibling } from "ts-mls/treemath.js";

const hex = (text) => new Uint8Array(Buffer.from(text, "hex"));
const same = (a, b) => Buffer.from(a).equals(Buffer.from(b));

/** Bouncy Castle's line format (see the vectors' README.md) as a list of cases. */
function readCases(file) {
  const lines = readFileSync(file, "utf8").split("\n").map((l) => l.trim());
  let next = 0;
  function cases(stop) {
    const out = [];
    let current = { fields: {}, lists: {}, groups: {} };
    const flush = () => {
      if (Object.keys(current.fields).length + Object.keys(current.lists).length + Object.keys(current.groups).length) out.push(current);
      current = { fields: {}, lists: {}, groups: {} };
    };
    while (next < lines.length) {
      const line = lines[next++];
      if (line === stop) break;
      if (line === "") flush();
      else if (line.endsWith("START")) {
        const name = line.slice(0, -5);
        const end = lines.indexOf(name + "STOP", next);
        if (lines.slice(next, end).some((l) => l.includes("="))) current.groups[name] = cases(name + "STOP");
        else { current.lists[name] = lines.slice(next, end); next = end + 1; }
      } else {
        const at = line.indexOf("=");
        const value = line.slice(at + 1).trim();
        if (value !== "") current.fields[line.slice(0, at).trim()] = value;
      }
    }
    flush();
    return out;
  }
  return cases(null);
}

async function suite(id) {
  return getCiphersuiteImpl(getCiphersuiteFromId(id));
}

async function cryptoBasics(cases, check) {
  for (const { fields: f } of cases) {
    const id = Number(f.cipherSuite);
    check(`suite ${id} case`, true);
    const cs = await suite(id);
    const at = (name) => `suite ${id} ${name}`;
    check(at("ref_hash"), same(await refhash(f.refHash_label, hex(f.refHash_value), cs.hash), hex(f.refHash_out)));
    check(at("expand_with_label"), same(await expandWithLabel(hex(f.expandWithLabel_secret), f.expandWithLabel_label,
      hex(f.expandWithLabel_context), Number(f.expandWithLabel_length), cs.kdf), hex(f.expandWithLabel_out)));
    check(at("derive_secret"), same(await deriveSecret(hex(f.deriveSecret_secret), f.deriveSecret_label, cs.kdf), hex(f.deriveSecret_out)));
    check(at("derive_tree_secret"), same(await deriveTreeSecret(hex(f.deriveTreeSecret_secret), f.deriveTreeSecret_label,
      Number(f.deriveTreeSecret_generation), Number(f.deriveTreeSecret_length), cs.kdf), hex(f.deriveTreeSecret_out)));
    const content = hex(f.signWithLabel_content);
    check(at("verify_with_label"), await verifyWithLabel(hex(f.signWithLabel_pub), f.signWithLabel_label, content, hex(f.signWithLabel_signature), cs.signature));
    const signature = await signWithLabel(hex(f.signWithLabel_priv), f.signWithLabel_label, content, cs.signature);
    check(at("sign_with_label"), await verifyWithLabel(hex(f.signWithLabel_pub), f.signWithLabel_label, content, signature, cs.signature));
    const priv = await cs.hpke.importPrivateKey(hex(f.encryptWithLabel_priv));
    const context = hex(f.encryptWithLabel_context);
    check(at("decrypt_with_label"), same(await decryptWithLabel(priv, f.encryptWithLabel_label, context,
      hex(f.encryptWithLabel_kemOutput), hex(f.encryptWithLabel_ciphertext), cs.hpke), hex(f.encryptWithLabel_plaintext)));
    const sealed = await encryptWithLabel(await cs.hpke.importPublicKey(hex(f.encryptWithLabel_pub)), f.encryptWithLabel_label,
      context, hex(f.encryptWithLabel_plaintext), cs.hpke);
    check(at("encrypt_with_label"), same(await decryptWithLabel(priv, f.encryptWithLabel_label, context, sealed.enc,
      sealed.ct, cs.hpke), hex(f.encryptWithLabel_plaintext)));
  }
}

async function treeMath(cases, check) {
  for (const { fields: f, lists: l } of cases) {
    const leaves = Number(f.n_leaves);
    check(`${leaves} leaves: nodes`, nodeWidth(leaves) === Number(f.n_nodes));
    check(`${leaves} leaves: root`, root(leaves) === Number(f.root));
    for (let i = 0; i < Number(f.n_nodes); i++) {
      const expect = (name, compute) => {
        const value = l[name][i];
        if (value !== "null") check(`${leaves} leaves: ${name}(${i})`, compute() === Number(value));
      };
      expect("left", () => left(i));
      expect("right", () => right(i));
      expect("parent", () => parent(i, leaves));
      expect("sibling", () => sibling(i, leaves));
    }
  }
}

/** RFC 9420 §8 for each epoch; epochs are objects with the JSON file's snake_case names. */
async function keySchedule(id, groupId, initialInitSecret, epochs, exporter, check) {
  const cs = await suite(id);
  let initSecret = initialInitSecret;
  for (let n = 0; n < epochs.length; n++) {
    const e = epochs[n];
    const at = (name) => `suite ${id} epoch ${n} ${name}`;
    const groupContext = { version: "mls10", cipherSuite: getCiphersuiteNameFromId(id), groupId, epoch: BigInt(n),
      treeHash: hex(e.tree_hash), confirmedTranscriptHash: hex(e.confirmed_transcript_hash), extensions: [] };
    check(at("group_context"), same(encodeGroupContext(groupContext), hex(e.group_context)));
    const secrets = await initializeEpoch(initSecret, hex(e.commit_secret), groupContext, hex(e.psk_secret), cs.kdf);
    const ks = secrets.keySchedule;
    check(at("joiner_secret"), same(secrets.joinerSecret, hex(e.joiner_secret)));
    check(at("welcome_secret"), same(secrets.welcomeSecret, hex(e.welcome_secret)));
    check(at("encryption_secret"), same(secrets.encryptionSecret, hex(e.encryption_secret)));
    for (const [name, value] of [["init_secret", ks.initSecret], ["sender_data_secret", ks.senderDataSecret],
      ["exporter_secret", ks.exporterSecret], ["epoch_authenticator", ks.epochAuthenticator],
      ["external_secret", ks.externalSecret], ["confirmation_key", ks.confirmationKey],
      ["membership_key", ks.membershipKey], ["resumption_psk", ks.resumptionPsk]]) {
      check(at(name), same(value, hex(e[name])));
    }
    if (exporter) {
      const x = exporter(e);
      check(at("exporter"), same(await mlsExporter(ks.exporterSecret, x.label, x.context, x.length, cs), x.secret));
    }
    initSecret = ks.initSecret;
  }
  return epochs.length;
}

async function run(directory) {
  const results = {};
  const record = async (name, body) => {
    const failed = [];
    let checks = 0;
    const check = (what, ok) => { checks++; if (!ok) failed.push(what); };
    let cases = 0;
    try {
      cases = await body(check);
    } catch (error) {
      failed.push(String(error?.stack ?? error));
    }
    results[name] = { cases, checks, failed };
  };
  const file = (name) => join(directory, name);
  await record("crypto-basics", async (check) => {
    const cases = readCases(file("crypto-basics.txt"));
    for (const c of cases) {
      try {
        await cryptoBasics([c], check);
      } catch (error) {
        check(`suite ${c.fields.cipherSuite}: ${error}`, false);
      }
    }
    return cases.length;
  });
  await record("tree-math", async (check) => { const c = readCases(file("tree-math.txt")); await treeMath(c, check); return c.length; });
  await record("key-schedule", async (check) => {
    let epochs = 0;
    for (const { fields: f, groups } of readCases(file("key-schedule.txt"))) {
      const rows = groups.epochs.map((e) => e.fields);
      epochs += await keySchedule(Number(f.cipher_suite), hex(f.group_id), hex(f.initial_init_secret), rows,
        (e) => ({ label: e.exporterLabel, context: hex(e.exporterContext), length: Number(e.exporterLength), secret: hex(e.exporterSecret) }), check);
    }
    return epochs;
  });
  await record("key-schedule.json", async (check) => {
    let epochs = 0;
    for (const c of JSON.parse(readFileSync(file("key-schedule.json"), "utf8"))) {
      // its exporter values predate RFC 9420's MLS-Exporter: see the vectors' README.md
      epochs += await keySchedule(c.cipher_suite, hex(c.group_id), hex(c.initial_init_secret), c.epochs, null, check);
    }
    return epochs;
  });
  return results;
}

for await (const line of createInterface({ input: process.stdin })) {
  let answer;
  try {
    answer = { ok: true, results: await run(JSON.parse(line).directory) };
  } catch (error) {
    answer = { ok: false, error: String(error?.stack ?? error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
}
