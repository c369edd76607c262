import { byteLength, MAX_UINT64, readUint, writeUint, type Bytes } from './bytes';
import { SFrameError } from './errors';

/**
 * The SFrame header of RFC 9605 §4.3: a config byte `X K(3) Y C(3)`, then the KID and the CTR in
 * that order, each either inline in K / C (values 0–7, flag 0) or as a big-endian field of
 * K + 1 / C + 1 bytes (flag 1) in the minimum number of bytes.
 */
export interface SFrameHeader {
  /** The key identifier: which base key, and for Parley which sender and epoch (§5.2). */
  readonly kid: bigint;
  /** The frame counter: with the salt it forms the nonce (§4.4.3). */
  readonly ctr: bigint;
}

/** A decoded header with the bytes it came from, which are the first part of the AAD (§4.4.4). */
export interface DecodedHeader extends SFrameHeader {
  /** The header exactly as received, a view into the input. */
  readonly bytes: Uint8Array;
}

/** Encodes a header (RFC 9605 §4.3); throws `value-out-of-range` for values outside 0 … 2^64 − 1. */
export function encodeHeader(kid: bigint, ctr: bigint): Bytes {
  const kidLength = fieldLength(kid);
  const ctrLength = fieldLength(ctr);
  const out = new Uint8Array(1 + kidLength + ctrLength);
  out[0] = (configBits(kid, kidLength) << 4) | configBits(ctr, ctrLength);
  writeUint(out, 1, kidLength, kid);
  writeUint(out, 1 + kidLength, ctrLength, ctr);
  return out;
}

/**
 * Decodes the header at the start of `bytes`. Strict: a truncated header throws `header-truncated`,
 * and a value sent in more bytes than it needs (or extended when it fits in 3 bits) throws
 * `header-not-minimal`, since §4.3 says the value MUST use the minimum number of bytes; accepting
 * both forms would let one frame have two headers and so two AADs.
 */
export function decodeHeader(bytes: Uint8Array): DecodedHeader {
  const config = bytes[0];
  if (config === undefined) {
    throw new SFrameError('header-truncated', 'no config byte');
  }
  const kidField = readField(bytes, 1, config >> 4, 'KID');
  const ctrField = readField(bytes, 1 + kidField.length, config & 0x0f, 'CTR');
  const length = 1 + kidField.length + ctrField.length;
  return { kid: kidField.value, ctr: ctrField.value, bytes: bytes.subarray(0, length) };
}

/** Bytes after the config byte that `value` takes: 0 when it fits in 3 bits. */
function fieldLength(value: bigint): number {
  if (value < 0n || value > MAX_UINT64) {
    throw new SFrameError('value-out-of-range', `${value} is not a 64-bit unsigned integer`);
  }
  return value < 8n ? 0 : byteLength(value);
}

/** The 4 config bits of one field: `0 vvv` inline, `1 lll` with length − 1. */
function configBits(value: bigint, length: number): number {
  return length === 0 ? Number(value) : 0x8 | (length - 1);
}

function readField(bytes: Uint8Array, offset: number, bits: number, name: string): { value: bigint; length: number } {
  if ((bits & 0x8) === 0) {
    return { value: BigInt(bits), length: 0 };
  }
  const length = (bits & 0x7) + 1;
  if (bytes.length < offset + length) {
    throw new SFrameError('header-truncated', `${name} needs ${length} bytes, ${Math.max(0, bytes.length - offset)} left`);
  }
  const value = readUint(bytes, offset, length);
  if (value < 8n || byteLength(value) !== length) {
    throw new SFrameError('header-not-minimal', `${name} ${value} sent in ${length} bytes`);
  }
  return { value, length };
}
