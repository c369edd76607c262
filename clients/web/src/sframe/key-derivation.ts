import type { Aead } from './aead';
import { concat, MAX_UINT64, writeUint, type Bytes } from './bytes';
import type { CipherSuite } from './cipher-suite';
import { SFrameError } from './errors';

const encoder = new TextEncoder();
const KEY_LABEL = encoder.encode('SFrame 1.0 Secret key ');
const SALT_LABEL = encoder.encode('SFrame 1.0 Secret salt ');

/** The keys of one KID: what `derive_key_salt(KID, base_key)` gives (RFC 9605 §4.4.2). */
export interface SFrameKey {
  readonly suite: CipherSuite;
  readonly kid: bigint;
  /** The AEAD keyed with `sframe_key`. */
  readonly aead: Aead;
  /** `sframe_salt`, XORed with the CTR to form each nonce (§4.4.3). */
  readonly salt: Bytes;
}

/** `"SFrame 1.0 Secret key " + KID (8 bytes) + cipher_suite (2 bytes)`, big-endian (§4.4.2). */
export function keyLabel(suite: CipherSuite, kid: bigint): Bytes {
  return label(KEY_LABEL, suite, kid);
}

/** `"SFrame 1.0 Secret salt " + KID (8 bytes) + cipher_suite (2 bytes)`, big-endian (§4.4.2). */
export function saltLabel(suite: CipherSuite, kid: bigint): Bytes {
  return label(SALT_LABEL, suite, kid);
}

/**
 * `derive_key_salt(KID, base_key)` of RFC 9605 §4.4.2: `sframe_secret = HKDF-Extract("", base_key)`,
 * then `sframe_key` (Nk bytes) and `sframe_salt` (Nn bytes) by HKDF-Expand with the two labels.
 * WebCrypto's HKDF with an empty salt is exactly that Extract-then-Expand (RFC 5869 §2.2: an empty
 * salt and HashLen zero bytes give the same HMAC key).
 */
export async function deriveKeySalt(suite: CipherSuite, kid: bigint, baseKey: Bytes): Promise<{ key: Bytes; salt: Bytes }> {
  const secret = await crypto.subtle.importKey('raw', baseKey, 'HKDF', false, ['deriveBits']);
  const expand = async (info: Bytes, length: number) =>
    new Uint8Array(
      await crypto.subtle.deriveBits({ name: 'HKDF', hash: suite.hash, salt: new Uint8Array(0), info }, secret, 8 * length),
    );
  const [key, salt] = await Promise.all([expand(keyLabel(suite, kid), suite.nk), expand(saltLabel(suite, kid), suite.nn)]);
  return { key, salt };
}

/** The keys for one KID, ready to seal and open frames. */
export async function deriveSFrameKey(suite: CipherSuite, kid: bigint, baseKey: Bytes): Promise<SFrameKey> {
  const { key, salt } = await deriveKeySalt(suite, kid, baseKey);
  return { suite, kid, aead: await suite.importKey(key), salt };
}

function label(prefix: Uint8Array, suite: CipherSuite, kid: bigint): Bytes {
  if (kid < 0n || kid > MAX_UINT64) {
    throw new SFrameError('value-out-of-range', `KID ${kid} is not a 64-bit unsigned integer`);
  }
  const suffix = new Uint8Array(10);
  writeUint(suffix, 0, 8, kid);
  writeUint(suffix, 8, 2, BigInt(suite.id));
  return concat(prefix, suffix);
}
