// Raw text, not parsed JSON: see loadVectors.
import text from './rfc9605-test-vectors.json?raw';

/** RFC 9605 Appendix C, as copied into rfc9605-test-vectors.json (see README.md here). */
export interface HeaderVector {
  kid: bigint;
  ctr: bigint;
  encoded: string;
}

export interface AeadVector {
  cipher_suite: number;
  key: string;
  enc_key: string;
  auth_key: string;
  nonce: string;
  aad: string;
  pt: string;
  ct: string;
}

export interface SFrameVector {
  cipher_suite: number;
  kid: bigint;
  ctr: bigint;
  base_key: string;
  sframe_key_label: string;
  sframe_salt_label: string;
  sframe_secret: string;
  sframe_key: string;
  sframe_salt: string;
  metadata: string;
  nonce: string;
  aad: string;
  pt: string;
  ct: string;
}

export interface Rfc9605Vectors {
  header: HeaderVector[];
  aes_ctr_hmac: AeadVector[];
  sframe: SFrameVector[];
}

/**
 * The vectors, with every `kid` and `ctr` read as a bigint: JSON numbers up to 2^64 − 1 lose
 * precision as doubles, so they are quoted before parsing and converted after.
 */
export function loadVectors(): Rfc9605Vectors {
  return JSON.parse(text.replace(/"(kid|ctr)": (\d+)/g, '"$1": "$2"'), (name, value: unknown) =>
    (name === 'kid' || name === 'ctr') && typeof value === 'string' ? BigInt(value) : value,
  ) as Rfc9605Vectors;
}

export function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  if (!/^(?:[0-9a-f]{2})*$/.test(hex)) {
    throw new Error(`not hex: ${hex}`);
  }
  return Uint8Array.from(hex.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
