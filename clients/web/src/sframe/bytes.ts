/** Byte helpers shared by the SFrame modules: big-endian integers up to 64 bits, as RFC 9605 uses. */

/** Bytes backed by a plain ArrayBuffer, which WebCrypto's BufferSource requires (TS 5.9 lib types). */
export type Bytes = Uint8Array<ArrayBuffer>;

/** 2^64 − 1, the largest KID or CTR (RFC 9605 §4.3: at most 8 bytes each). */
export const MAX_UINT64 = (1n << 64n) - 1n;

/** How many bytes the big-endian form of `value` (0 … 2^64 − 1) needs, at least 1. */
export function byteLength(value: bigint): number {
  let length = 1;
  while (value >> BigInt(8 * length) > 0n) {
    length++;
  }
  return length;
}

/** Writes `value` big-endian into `out[offset … offset + length)`. */
export function writeUint(out: Uint8Array, offset: number, length: number, value: bigint): void {
  let rest = value;
  for (let i = offset + length - 1; i >= offset; i--) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
}

/** Reads a big-endian unsigned integer from `bytes[offset … offset + length)`. */
export function readUint(bytes: Uint8Array, offset: number, length: number): bigint {
  let value = 0n;
  for (let i = offset; i < offset + length; i++) {
    value = (value << 8n) | BigInt(bytes[i]!);
  }
  return value;
}

/** The concatenation of `parts`. */
export function concat(...parts: Uint8Array[]): Bytes {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
