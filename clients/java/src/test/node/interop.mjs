// The ts-mls side of TsMlsInteropTest: one MLS member (ts-mls 1.6.4, the web app's MLS library),
// driven over stdin/stdout. Each input line is a JSON command, each output line a JSON answer;
// binary values travel as base64. The member checks X.509 credentials the way Parley's
// CredentialVerifier does, with node:crypto.
import { createInterface } from "node:readline";
import { X509Certificate } from "node:crypto";
import {
  acceptAll,
  createCommit,
  decodeMlsMessage,
  defaultCapabilities,
  defaultKeyPackageEqualityConfig,
  defaultKeyRetentionConfig,
  defaultLifetimeConfig,
  defaultPaddingConfig,
  emptyPskIndex,
  encodeMlsMessage,
  generateKeyPackageWithKey,
  getCiphersuiteFromName,
  getCiphersuiteImpl,
  joinGroup,
  mlsExporter,
  processMessage,
} from "ts-mls";

const cs = await getCiphersuiteImpl(getCiphersuiteFromName("MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519"));
const b64 = (bytes) => Buffer.from(bytes).toString("base64");
const bytes = (text) => new Uint8Array(Buffer.from(text, "base64"));

let trustedCa;
let signatureKeys;
let keyPackage;
let state;

/** Parley's credential rules: [device, CA] chain, CA pinned, signed, valid now, key = leaf key. */
const authService = {
  async validateCredential(credential, signaturePublicKey) {
    if (credential.credentialType !== "x509" || credential.certificates.length !== 2) return false;
    if (!Buffer.from(credential.certificates[1]).equals(trustedCa)) return false;
    const ca = new X509Certificate(trustedCa);
    const device = new X509Certificate(Buffer.from(credential.certificates[0]));
    const now = Date.now();
    if (!device.verify(ca.publicKey) || now < Date.parse(device.validFrom) || now > Date.parse(device.validTo)) {
      return false;
    }
    const spki = device.publicKey.export({ format: "der", type: "spki" });
    return spki.subarray(spki.length - 32).equals(Buffer.from(signaturePublicKey));
  },
};

const clientConfig = {
  keyRetentionConfig: defaultKeyRetentionConfig,
  lifetimeConfig: defaultLifetimeConfig,
  keyPackageEqualityConfig: defaultKeyPackageEqualityConfig,
  paddingConfig: defaultPaddingConfig,
  authService,
};

function decode(text) {
  const decoded = decodeMlsMessage(bytes(text), 0);
  if (decoded === undefined) throw new Error("not an MLS message");
  return decoded[0];
}

async function info() {
  return {
    epoch: Number(state.groupContext.epoch),
    epochAuthenticator: b64(state.keySchedule.epochAuthenticator),
    sframeBaseKey: b64(await mlsExporter(state.keySchedule.exporterSecret, "SFrame 1.0 Base Key", new Uint8Array(), 16, cs)),
  };
}

const commands = {
  async init({ ca }) {
    trustedCa = Buffer.from(ca, "base64");
    signatureKeys = await cs.signature.keygen();
    return { publicKey: b64(signatureKeys.publicKey) };
  },
  async keyPackage({ certificates }) {
    const credential = { credentialType: "x509", certificates: certificates.map(bytes) };
    const now = BigInt(Math.floor(Date.now() / 1000));
    const lifetime = { notBefore: now - 3600n, notAfter: now + 86400n };
    keyPackage = await generateKeyPackageWithKey(credential, defaultCapabilities(), lifetime, [], signatureKeys, cs);
    return { keyPackage: b64(encodeMlsMessage({ version: "mls10", wireformat: "mls_key_package", keyPackage: keyPackage.publicPackage })) };
  },
  async join({ welcome }) {
    const message = decode(welcome);
    state = await joinGroup(message.welcome, keyPackage.publicPackage, keyPackage.privatePackage, emptyPskIndex, cs,
      undefined, undefined, clientConfig);
    return { ...(await info()), externalSenders: state.groupContext.extensions.filter((e) => e.extensionType === 5 || e.extensionType === "external_senders").length };
  },
  async process({ message }) {
    const result = await processMessage(decode(message), state, emptyPskIndex, acceptAll, cs);
    state = result.newState;
    return { kind: result.kind, ...(await info()) };
  },
  async commit({ add = [] }) {
    const extraProposals = add.map((kp) => ({ proposalType: "add", add: { keyPackage: decode(kp).keyPackage } }));
    const result = await createCommit({ state, cipherSuite: cs }, { wireAsPublicMessage: true, ratchetTreeExtension: true, extraProposals });
    state = result.newState;
    const welcome = result.welcome === undefined ? null
      : b64(encodeMlsMessage({ version: "mls10", wireformat: "mls_welcome", welcome: result.welcome }));
    return { commit: b64(encodeMlsMessage(result.commit)), welcome, ...(await info()) };
  },
};

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  let answer;
  try {
    const command = JSON.parse(line);
    answer = { ok: true, ...(await commands[command.op](command)) };
  } catch (error) {
    answer = { ok: false, error: String(error?.stack ?? error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
}
