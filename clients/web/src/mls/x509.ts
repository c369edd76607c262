/**
 * Just enough DER and X.509 to check Parley credentials in the browser (RFC 9420 §5.3.1 leaves
 * credential validation to the application), with the same rules as the Java client's
 * CredentialVerifier: chain = [device certificate, the pinned Parley CA certificate]; the device
 * certificate signed by that CA with Ed25519 and valid now; its key equal to the leaf's signature
 * key; its URI subjectAltNames naming exactly one user (`parley:user:`), one device
 * (`parley:device:`) and, for guests, one room (`parley:room:`).
 */
import { equalBytes } from './bytes';

interface Der {
  tag: number;
  /** The whole element, header included. */
  all: Uint8Array;
  /** The contents. */
  value: Uint8Array;
}

function readDer(bytes: Uint8Array, offset = 0): Der & { end: number } {
  if (offset + 2 > bytes.length) throw new Error('DER: truncated');
  const tag = bytes[offset];
  if ((tag & 0x1f) === 0x1f) throw new Error('DER: high tag numbers are not used here');
  let length = bytes[offset + 1];
  let at = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new Error('DER: bad length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[at++];
  }
  const end = at + length;
  if (end > bytes.length) throw new Error('DER: truncated');
  return { tag, all: bytes.subarray(offset, end), value: bytes.subarray(at, end), end };
}

function children(parent: Der): Der[] {
  const out: Der[] = [];
  let at = 0;
  while (at < parent.value.length) {
    const child = readDer(parent.value, at);
    out.push(child);
    at = child.end;
  }
  return out;
}

const ED25519_OID = Uint8Array.of(0x2b, 0x65, 0x70); // 1.3.101.112
const SUBJECT_ALT_NAME_OID = Uint8Array.of(0x55, 0x1d, 0x11); // 2.5.29.17

function time(element: Der): number {
  const text = new TextDecoder().decode(element.value);
  const m = element.tag === 0x17
    ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
    : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) throw new Error(`X.509: unsupported time ${text}`);
  let year = Number(m[1]);
  if (element.tag === 0x17) year += year < 50 ? 2000 : 1900;
  return Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

export interface Certificate {
  tbs: Uint8Array;
  signatureAlgorithmOid: Uint8Array;
  signature: Uint8Array;
  issuer: Uint8Array;
  subject: Uint8Array;
  notBefore: number;
  notAfter: number;
  publicKeyAlgorithmOid: Uint8Array;
  publicKey: Uint8Array;
  uris: string[];
}

export function parseCertificate(der: Uint8Array): Certificate {
  const cert = readDer(der);
  if (cert.tag !== 0x30 || cert.end !== der.length) throw new Error('X.509: not one certificate');
  const [tbs, sigAlg, sigValue] = children(cert);
  if (!tbs || !sigAlg || !sigValue || sigValue.tag !== 0x03) throw new Error('X.509: malformed certificate');
  const fields = children(tbs);
  let i = fields[0]?.tag === 0xa0 ? 1 : 0; // [0] version
  i++; // serialNumber
  i++; // signature AlgorithmIdentifier
  const issuer = fields[i++];
  const validity = fields[i++];
  const subject = fields[i++];
  const spki = fields[i++];
  if (!issuer || !validity || !subject || !spki) throw new Error('X.509: malformed TBSCertificate');
  const [notBefore, notAfter] = children(validity);
  const [spkiAlg, spkiKey] = children(spki);
  const uris: string[] = [];
  for (const field of fields.slice(i)) {
    if (field.tag !== 0xa3) continue; // [3] extensions
    for (const extension of children(children(field)[0])) {
      const parts = children(extension);
      if (!equalBytes(parts[0].value, SUBJECT_ALT_NAME_OID)) continue;
      const names = readDer(parts[parts.length - 1].value);
      for (const name of children(names)) {
        if (name.tag === 0x86) uris.push(new TextDecoder().decode(name.value)); // [6] uniformResourceIdentifier
      }
    }
  }
  return {
    tbs: tbs.all,
    signatureAlgorithmOid: children(sigAlg)[0].value,
    signature: sigValue.value.subarray(1), // BIT STRING: skip the unused-bits byte
    issuer: issuer.all,
    subject: subject.all,
    notBefore: time(notBefore),
    notAfter: time(notAfter),
    publicKeyAlgorithmOid: children(spkiAlg)[0].value,
    publicKey: spkiKey.value.subarray(1),
    uris,
  };
}

export interface MemberIdentity {
  userId: string;
  deviceId: string;
  /** Set for a guest: the one room its identity is good for. */
  roomId?: string;
}

export class CredentialRejected extends Error {
  constructor(readonly reason: string, message: string) {
    super(`${reason}: ${message}`);
    this.name = 'CredentialRejected';
  }
}

/** Verifies an Ed25519 signature (WebCrypto: browsers, Node 20). */
export type Ed25519Verify = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => Promise<boolean>;

export const webCryptoEd25519Verify: Ed25519Verify = async (publicKey, message, signature) => {
  const key = await crypto.subtle.importKey('raw', publicKey as BufferSource, { name: 'Ed25519' }, false, ['verify']);
  return crypto.subtle.verify({ name: 'Ed25519' }, key, signature as BufferSource, message as BufferSource);
};

/** Parley's credential rules against one pinned CA certificate (exact bytes). */
export class CredentialVerifier {
  private readonly ca: Certificate;

  constructor(readonly trustedCa: Uint8Array, private readonly verifySignature: Ed25519Verify = webCryptoEd25519Verify,
              private readonly now: () => number = Date.now) {
    this.ca = parseCertificate(trustedCa);
    if (!equalBytes(this.ca.publicKeyAlgorithmOid, ED25519_OID)) {
      throw new Error('the trusted CA certificate is not an Ed25519 certificate');
    }
  }

  /** The user, device and room the chain names; throws CredentialRejected naming the first failed check. */
  async verify(certificates: Uint8Array[], signatureKey: Uint8Array): Promise<MemberIdentity> {
    if (certificates.length !== 2) {
      throw new CredentialRejected('malformed-chain', `expected [device, CA] but got ${certificates.length} certificates`);
    }
    if (!equalBytes(certificates[1], this.trustedCa)) {
      throw new CredentialRejected('untrusted-ca', 'the chain ends in another CA certificate');
    }
    let device: Certificate;
    try {
      device = parseCertificate(certificates[0]);
    } catch (e) {
      throw new CredentialRejected('malformed-chain', `device certificate does not parse: ${String(e)}`);
    }
    const signed = equalBytes(device.issuer, this.ca.subject) && equalBytes(device.signatureAlgorithmOid, ED25519_OID)
      && await this.verifySignature(this.ca.publicKey, device.tbs, device.signature).catch(() => false);
    if (!signed) throw new CredentialRejected('bad-signature', 'device certificate not signed by the CA');
    const now = this.now();
    for (const [which, cert] of [['CA', this.ca], ['device', device]] as const) {
      if (now < cert.notBefore) throw new CredentialRejected('not-yet-valid', `${which} certificate valid from ${new Date(cert.notBefore).toISOString()}`);
      if (now > cert.notAfter) throw new CredentialRejected('expired', `${which} certificate expired at ${new Date(cert.notAfter).toISOString()}`);
    }
    if (!equalBytes(device.publicKeyAlgorithmOid, ED25519_OID) || !equalBytes(device.publicKey, signatureKey)) {
      throw new CredentialRejected('key-mismatch', "certificate key is not the leaf's Ed25519 signature key");
    }
    return identityOf(device.uris);
  }
}

function identityOf(uris: string[]): MemberIdentity {
  const one = (prefix: string, what: string): string | undefined => {
    const found = uris.filter((u) => u.startsWith(prefix)).map((u) => u.slice(prefix.length));
    if (found.length > 1) throw new CredentialRejected('bad-identity', `certificate names more than one ${what}`);
    return found[0];
  };
  const userId = one('parley:user:', 'user');
  const deviceId = one('parley:device:', 'device');
  const roomId = one('parley:room:', 'room');
  if (!userId || !deviceId) throw new CredentialRejected('bad-identity', 'certificate lacks the user or device URI');
  return roomId === undefined ? { userId, deviceId } : { userId, deviceId, roomId };
}

/** The validity period of a certificate, in seconds since the epoch (for a leaf's lifetime). */
export function validityOf(der: Uint8Array): { notBefore: bigint; notAfter: bigint } {
  const cert = parseCertificate(der);
  return { notBefore: BigInt(Math.floor(cert.notBefore / 1000)), notAfter: BigInt(Math.floor(cert.notAfter / 1000)) };
}
