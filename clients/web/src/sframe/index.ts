/**
 * SFrame (RFC 9605) for Parley's web app. Page code needs FrameCryptoClient and the worker
 * (`new Worker(new URL('./sframe/worker.ts', import.meta.url), { type: 'module' })`); the rest is
 * exported for tests and tools. See README.md in this folder.
 */
export { AES_128_GCM_SHA256_128, AES_256_GCM_SHA512_128, cipherSuite, type CipherSuite } from './cipher-suite';
export { clearPrefixLength, type MediaKind } from './codec-prefix';
export { SFrameError, type SFrameErrorCode } from './errors';
export { FrameCryptoClient, FrameCryptoRequestError, type TransformFailure } from './frame-crypto-client';
export { decryptFrame, encryptFrame, transformStream, type DropReason, type TransformCounters, type TransformOptions } from './frame-crypto';
export { decodeHeader, encodeHeader, type SFrameHeader } from './header';
export { deriveSFrameKey, type SFrameKey } from './key-derivation';
export { KeyRing, type EpochKeys } from './key-ring';
export { EPOCH_BITS, mlsKeyId, senderBits } from './mls-kid';
export type { FrameCryptoReply, FrameCryptoRequest } from './protocol';
export { decrypt, encrypt } from './sframe';
