/**
 * Why an SFrame operation refused its input. Every refusal is typed so the frame layer can count
 * dropped frames by reason (issue 8: "a frame that fails to decrypt is dropped and counted").
 */
export type SFrameErrorCode =
  /** The header ends before its KID or CTR does (RFC 9605 §4.3). */
  | 'header-truncated'
  /** KID or CTR not in the minimum number of bytes, which RFC 9605 §4.3 makes a MUST. */
  | 'header-not-minimal'
  /** A KID or CTR outside 0 … 2^64 − 1, or a context or sender index that does not fit its bits. */
  | 'value-out-of-range'
  /** A cipher suite this implementation does not know (RFC 9605 §4.5, §8.1). */
  | 'unknown-cipher-suite'
  /** Key material of the wrong length for the cipher suite. */
  | 'bad-key-length'
  /** The frame is too short for the codec's clear bytes, the SFrame header or the tag. */
  | 'malformed-frame'
  /** The frame's codec has no clear-byte rule here (see codec-prefix.ts). */
  | 'unsupported-codec'
  /** An epoch older than the keys held: a key ring only moves forward (RFC 9605 §5.2). */
  | 'stale-epoch'
  /** No keys are held for the epoch the KID names (RFC 9605 §5.2). */
  | 'unknown-epoch'
  /** The KID names a sender index outside the group, a context Parley never uses, or our own index. */
  | 'unknown-sender'
  /** No epoch is set, so there is nothing to encrypt with. */
  | 'no-sending-key'
  /** The AEAD refused the ciphertext: wrong key, tampered bytes or metadata (RFC 9605 §4.4.4). */
  | 'authentication-failed'
  /** The CTR was already accepted for this KID, or is too old to tell (RFC 9605 §7.4). */
  | 'replayed'
  /** Every CTR of a KID is used: encrypting again would repeat a nonce (RFC 9605 §7.4). */
  | 'counter-exhausted';

/** An SFrame refusal with its {@link SFrameErrorCode}. */
export class SFrameError extends Error {
  readonly code: SFrameErrorCode;

  constructor(code: SFrameErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.name = 'SFrameError';
    this.code = code;
  }
}
