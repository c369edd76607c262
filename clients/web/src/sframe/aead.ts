import type { Bytes } from './bytes';

/**
 * An AEAD keyed with one `sframe_key` (RFC 9605 §4.4, following RFC 5116: the tag is part of the
 * ciphertext). Both implementations are WebCrypto calls; nothing here is a hand-made primitive.
 */
export interface Aead {
  /** `AEAD.Encrypt(key, nonce, aad, plaintext)`: ciphertext || tag. */
  seal(nonce: Bytes, aad: Bytes, plaintext: Bytes): Promise<Bytes>;
  /** `AEAD.Decrypt`: the plaintext, or an `authentication-failed` {@link SFrameError}. */
  open(nonce: Bytes, aad: Bytes, ciphertext: Bytes): Promise<Bytes>;
}
