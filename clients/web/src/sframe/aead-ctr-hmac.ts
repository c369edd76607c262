import type { Aead } from './aead';
import { concat, writeUint, type Bytes } from './bytes';
import { SFrameError } from './errors';

/** The shape of one AES-CTR + HMAC suite (RFC 9605 §4.5.1). */
export interface CtrHmacParameters {
  /** Nka: bytes of the AES key, the first part of `sframe_key`. */
  readonly nka: number;
  /** Nt: bytes of the truncated HMAC tag. */
  readonly nt: number;
  /** The HMAC hash; its output length Nh is the rest of `sframe_key`. */
  readonly hash: 'SHA-256';
}

/**
 * The synthetic AEAD of RFC 9605 §4.5.1: encrypt-then-MAC with AES-CTR (initial counter = nonce ||
 * 0x00000000) and HMAC over `len(aad) || len(ct) || Nt || nonce || aad || ct`, truncated to Nt bytes.
 * It exists for short tags; Parley uses suite 0x0004, this serves the RFC's other suites.
 */
export async function importCtrHmac(key: Bytes, parameters: CtrHmacParameters): Promise<Aead> {
  const { nka, nt, hash } = parameters;
  const [encKey, authKey] = await Promise.all([
    crypto.subtle.importKey('raw', key.slice(0, nka), 'AES-CTR', false, ['encrypt', 'decrypt']),
    crypto.subtle.importKey('raw', key.slice(nka), { name: 'HMAC', hash }, false, ['sign']),
  ]);
  const ctrParams = (nonce: Bytes) => ({ name: 'AES-CTR', counter: concat(nonce, new Uint8Array(4)), length: 32 });
  const tag = async (nonce: Bytes, aad: Bytes, ct: Bytes): Promise<Bytes> => {
    const lengths = new Uint8Array(24);
    writeUint(lengths, 0, 8, BigInt(aad.length));
    writeUint(lengths, 8, 8, BigInt(ct.length));
    writeUint(lengths, 16, 8, BigInt(nt));
    const mac = await crypto.subtle.sign('HMAC', authKey, concat(lengths, nonce, aad, ct));
    return new Uint8Array(mac, 0, nt);
  };
  return {
    async seal(nonce, aad, plaintext) {
      const ct = new Uint8Array(await crypto.subtle.encrypt(ctrParams(nonce), encKey, plaintext));
      return concat(ct, await tag(nonce, aad, ct));
    },
    async open(nonce, aad, ciphertext) {
      if (ciphertext.length < nt) {
        throw new SFrameError('authentication-failed', `ciphertext shorter than the ${nt}-byte tag`);
      }
      const ct = ciphertext.subarray(0, ciphertext.length - nt);
      if (!equalInConstantTime(await tag(nonce, aad, ct), ciphertext.subarray(ct.length))) {
        throw new SFrameError('authentication-failed', 'HMAC tag mismatch');
      }
      return new Uint8Array(await crypto.subtle.decrypt(ctrParams(nonce), encKey, ct));
    },
  };
}

/** Compares two tags without an early exit, as §4.5.1's `constant_time_equal` asks. */
function equalInConstantTime(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    difference |= a[i]! ^ b[i]!;
  }
  return difference === 0;
}
