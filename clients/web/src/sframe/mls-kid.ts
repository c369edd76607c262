import { MAX_UINT64 } from './bytes';
import { SFrameError } from './errors';

/**
 * E of RFC 9605 §5.2: the low bits of the MLS epoch a KID carries, so 256 epochs can be told apart
 * in flight. Same value as clients/java `SFrameKeys.EPOCH_BITS`.
 */
export const EPOCH_BITS = 8;

/** The parts of an MLS KID (RFC 9605 §5.2, Figure 8). */
export interface MlsKidParts {
  /** Chosen by the sender to tell its streams apart; 0 gives the shortest header. */
  readonly context: bigint;
  /** The sender's MLS leaf index. */
  readonly senderIndex: number;
  /** `epoch mod 2^E`. */
  readonly epochBits: number;
}

/**
 * S of RFC 9605 §5.2 as Parley computes it, the same as clients/java `SFrameKeys.senderBits()`: the
 * bit length of the tree's leaf count, i.e. the smallest S with `group_size < 2^S`. The RFC words it
 * `group_size <= 2^S`; the two differ by one bit when the leaf count is a power of two. Every leaf
 * index fits either way, but both clients must agree on S to agree on KIDs, so the Java rule is kept.
 */
export function senderBits(groupSize: number): number {
  if (!Number.isSafeInteger(groupSize) || groupSize < 1 || groupSize > 0xffffffff) {
    throw new SFrameError('value-out-of-range', `group size ${groupSize}`);
  }
  return groupSize.toString(2).length;
}

/**
 * `KID = (context << (S + E)) + (sender_index << E) + (epoch % (1 << E))` (RFC 9605 §5.2), with the
 * range checks of clients/java `SFrameKeys.keyId`: the sender index must fit in S bits and the
 * context in the 64 − S − E bits left.
 */
export function mlsKeyId(
  epoch: bigint,
  senderIndex: number,
  sBits: number,
  context = 0n,
  eBits: number = EPOCH_BITS,
): bigint {
  if (!Number.isSafeInteger(senderIndex) || senderIndex < 0 || senderIndex >= 2 ** sBits) {
    throw new SFrameError('value-out-of-range', `sender index ${senderIndex} does not fit in ${sBits} bits`);
  }
  const shift = BigInt(sBits + eBits);
  if (context < 0n || context > MAX_UINT64 >> shift) {
    throw new SFrameError('value-out-of-range', `context ${context} does not fit in ${64n - shift} bits`);
  }
  if (epoch < 0n) {
    throw new SFrameError('value-out-of-range', `epoch ${epoch}`);
  }
  return (context << shift) | (BigInt(senderIndex) << BigInt(eBits)) | (epoch & ((1n << BigInt(eBits)) - 1n));
}

/** Splits a KID into context, sender index and epoch bits, for S = `sBits` and E = `eBits`. */
export function parseMlsKeyId(kid: bigint, sBits: number, eBits: number = EPOCH_BITS): MlsKidParts {
  return {
    context: kid >> BigInt(sBits + eBits),
    senderIndex: Number((kid >> BigInt(eBits)) & ((1n << BigInt(sBits)) - 1n)),
    epochBits: Number(kid & ((1n << BigInt(eBits)) - 1n)),
  };
}
