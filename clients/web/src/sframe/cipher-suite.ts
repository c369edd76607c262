import type { Aead } from './aead';
import { importCtrHmac } from './aead-ctr-hmac';
import { importGcm } from './aead-gcm';
import type { Bytes } from './bytes';
import { SFrameError } from './errors';

/**
 * One SFrame cipher suite (RFC 9605 §4.5, Table 1; identifiers from §8.1): the hash for HKDF
 * (§4.4.2), the AEAD for frames (§4.4.3) and their sizes in bytes.
 */
export interface CipherSuite {
  /** The 2-byte identifier, which also goes into the key derivation labels. */
  readonly id: number;
  readonly name: string;
  /** The WebCrypto name of the hash for HKDF (and HMAC in the CTR suites). */
  readonly hash: 'SHA-256' | 'SHA-512';
  /** AEAD.Nk: the length of `sframe_key` (and of Parley's base key, RFC 9605 §5.2). */
  readonly nk: number;
  /** AEAD.Nn: the length of `sframe_salt` and of the nonce. */
  readonly nn: number;
  /** AEAD.Nt: the bytes a ciphertext grows by (the tag). */
  readonly nt: number;
  /** Keys the AEAD with an `sframe_key` of {@link nk} bytes. */
  importKey(sframeKey: Bytes): Promise<Aead>;
}

const ctrHmac = (id: number, name: string, nt: number): CipherSuite => ({
  id,
  name,
  hash: 'SHA-256',
  nk: 48,
  nn: 12,
  nt,
  importKey: (key) => importCtrHmac(key, { nka: 16, nt, hash: 'SHA-256' }),
});

export const AES_128_CTR_HMAC_SHA256_80 = ctrHmac(0x0001, 'AES_128_CTR_HMAC_SHA256_80', 10);
export const AES_128_CTR_HMAC_SHA256_64 = ctrHmac(0x0002, 'AES_128_CTR_HMAC_SHA256_64', 8);
export const AES_128_CTR_HMAC_SHA256_32 = ctrHmac(0x0003, 'AES_128_CTR_HMAC_SHA256_32', 4);

/** Parley's suite: AES-128-GCM, HKDF-SHA256 (BRIEF, and clients/java SFrameKeys.CIPHER_SUITE). */
export const AES_128_GCM_SHA256_128: CipherSuite = {
  id: 0x0004,
  name: 'AES_128_GCM_SHA256_128',
  hash: 'SHA-256',
  nk: 16,
  nn: 12,
  nt: 16,
  importKey: importGcm,
};

export const AES_256_GCM_SHA512_128: CipherSuite = {
  id: 0x0005,
  name: 'AES_256_GCM_SHA512_128',
  hash: 'SHA-512',
  nk: 32,
  nn: 12,
  nt: 16,
  importKey: importGcm,
};

const SUITES: readonly CipherSuite[] = [
  AES_128_CTR_HMAC_SHA256_80,
  AES_128_CTR_HMAC_SHA256_64,
  AES_128_CTR_HMAC_SHA256_32,
  AES_128_GCM_SHA256_128,
  AES_256_GCM_SHA512_128,
];

/** The suite with this §8.1 identifier, or an `unknown-cipher-suite` error. */
export function cipherSuite(id: number): CipherSuite {
  const suite = SUITES.find((candidate) => candidate.id === id);
  if (!suite) {
    throw new SFrameError('unknown-cipher-suite', `0x${id.toString(16).padStart(4, '0')}`);
  }
  return suite;
}
