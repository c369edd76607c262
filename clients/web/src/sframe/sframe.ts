import { concat, MAX_UINT64, writeUint, type Bytes } from './bytes';
import { SFrameError } from './errors';
import { decodeHeader, encodeHeader, type DecodedHeader } from './header';
import type { SFrameKey } from './key-derivation';

/** An encrypted frame in its two parts, so a caller can lay them out without another copy. */
export interface SealedFrame {
  /** The encoded SFrame header (RFC 9605 §4.3). */
  readonly header: Bytes;
  /** The AEAD output: ciphertext || tag. */
  readonly ciphertext: Bytes;
}

/** `xor(sframe_salt, encode_big_endian(CTR, Nn))` (RFC 9605 §4.4.3). */
export function frameNonce(key: SFrameKey, ctr: bigint): Bytes {
  if (ctr < 0n || ctr > MAX_UINT64) {
    throw new SFrameError('value-out-of-range', `CTR ${ctr} is not a 64-bit unsigned integer`);
  }
  const nonce = new Uint8Array(key.suite.nn);
  writeUint(nonce, nonce.length - 8, 8, ctr);
  for (let i = 0; i < nonce.length; i++) {
    nonce[i]! ^= key.salt[i]!;
  }
  return nonce;
}

/**
 * `encrypt(CTR, KID, metadata, plaintext)` of RFC 9605 §4.4.3, returned in parts: the header, and
 * the AEAD output under `aad = header + metadata`. The caller owns the CTR: it MUST NOT seal twice
 * with one (key, CTR) pair (§7.4) — {@link KeyRing} hands out each CTR once.
 */
export async function seal(key: SFrameKey, ctr: bigint, metadata: Uint8Array, plaintext: Bytes): Promise<SealedFrame> {
  const header = encodeHeader(key.kid, ctr);
  const ciphertext = await key.aead.seal(frameNonce(key, ctr), concat(header, metadata), plaintext);
  return { header, ciphertext };
}

/** The SFrame ciphertext `header + ciphertext` of RFC 9605 §4.4.3, in one buffer. */
export async function encrypt(key: SFrameKey, ctr: bigint, metadata: Uint8Array, plaintext: Bytes): Promise<Bytes> {
  const { header, ciphertext } = await seal(key, ctr, metadata, plaintext);
  return concat(header, ciphertext);
}

/**
 * The AEAD half of `decrypt(metadata, sframe_ciphertext)` (RFC 9605 §4.4.4), for a header the caller
 * already decoded to pick the key. Throws `authentication-failed` when the tag does not verify, and
 * `malformed-frame` when the ciphertext cannot even hold a tag.
 */
export async function open(key: SFrameKey, header: DecodedHeader, ciphertext: Bytes, metadata: Uint8Array): Promise<Bytes> {
  if (header.kid !== key.kid) {
    throw new SFrameError('unknown-sender', `a frame of KID ${header.kid} offered to the key of KID ${key.kid}`);
  }
  if (ciphertext.length < key.suite.nt) {
    throw new SFrameError('malformed-frame', `${ciphertext.length} bytes cannot hold a ${key.suite.nt}-byte tag`);
  }
  return key.aead.open(frameNonce(key, header.ctr), concat(header.bytes, metadata), ciphertext);
}

/** `decrypt(metadata, sframe_ciphertext)` of RFC 9605 §4.4.4, with the key chosen by `keyFor(KID)`. */
export async function decrypt(
  keyFor: (kid: bigint) => Promise<SFrameKey>,
  metadata: Uint8Array,
  sframeCiphertext: Bytes,
): Promise<Bytes> {
  const header = decodeHeader(sframeCiphertext);
  const key = await keyFor(header.kid);
  return open(key, header, sframeCiphertext.subarray(header.bytes.length), metadata);
}
