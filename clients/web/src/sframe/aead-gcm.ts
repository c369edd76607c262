import type { Aead } from './aead';
import type { Bytes } from './bytes';
import { SFrameError } from './errors';

/** AES-GCM with a 128-bit tag, the AEAD of suites 0x0004 and 0x0005 (RFC 9605 §4.5). */
export async function importGcm(key: Bytes): Promise<Aead> {
  const cryptoKey = await crypto.subtle.importKey('raw', key, 'AES-GCM', false, ['encrypt', 'decrypt']);
  return {
    async seal(nonce, aad, plaintext) {
      const params = { name: 'AES-GCM', iv: nonce, additionalData: aad, tagLength: 128 };
      return new Uint8Array(await crypto.subtle.encrypt(params, cryptoKey, plaintext));
    },
    async open(nonce, aad, ciphertext) {
      const params = { name: 'AES-GCM', iv: nonce, additionalData: aad, tagLength: 128 };
      try {
        return new Uint8Array(await crypto.subtle.decrypt(params, cryptoKey, ciphertext));
      } catch {
        throw new SFrameError('authentication-failed', 'AES-GCM refused the ciphertext');
      }
    },
  };
}
