import { concat, type Bytes } from './bytes';
import { clearPrefixLength, defaultCodec, type MediaKind } from './codec-prefix';
import { SFrameError, type SFrameErrorCode } from './errors';
import { decodeHeader } from './header';
import type { KeyRing } from './key-ring';
import { open, seal } from './sframe';

/**
 * What both encoded-transform APIs hand over: `RTCEncodedVideoFrame` and `RTCEncodedAudioFrame`
 * (RTCRtpScriptTransform and `createEncodedStreams()` alike), reduced to what this layer touches so
 * Node tests can pass synthetic frames.
 */
export interface EncodedFrame {
  data: ArrayBuffer;
  getMetadata(): { mimeType?: string };
}

export type TransformRole = 'encrypt' | 'decrypt';

/** What a page says about one transform: the RTCRtpScriptTransform options, or the `transform` message. */
export interface TransformOptions {
  /** Names the transform in the counters. */
  readonly id: string;
  readonly role: TransformRole;
  readonly kind: MediaKind;
  /** MIME type to assume when a frame's metadata has none; by default VP8 or Opus by kind. */
  readonly codec?: string;
  /** The KID context a sender uses (RFC 9605 §5.2); transforms that share a worker share CTRs, so 0 will do. */
  readonly context?: number;
}

/** Why a frame was dropped: an {@link SFrameErrorCode}, or an exception this layer did not expect. */
export type DropReason = SFrameErrorCode | 'internal-error';

/** One transform's counts, sent to the page on request. */
export interface TransformCounters {
  readonly id: string;
  readonly role: TransformRole;
  readonly kind: MediaKind;
  encrypted: number;
  decrypted: number;
  dropped: Partial<Record<DropReason, number>>;
  /** The message of the last `internal-error`, to find the bug. */
  lastError?: string;
}

/** A running transform: its live counters, and a promise that settles when its streams close. */
export interface FrameTransform {
  readonly counters: TransformCounters;
  readonly done: Promise<void>;
}

/**
 * Encrypts one encoded frame for the wire: `clear prefix || SFrame header || ciphertext || tag`. The
 * clear prefix (see {@link clearPrefixLength}) is the SFrame metadata, so it is authenticated with
 * the header as AAD (RFC 9605 §4.4.3) and the browser's depacketizer still finds it first.
 */
export async function encryptFrame(ring: KeyRing, codec: string, data: Bytes, context = 0n): Promise<Bytes> {
  const clear = clearPrefixLength(codec, data);
  const metadata = data.subarray(0, clear);
  const { key, ctr } = await ring.nextSendSlot(context);
  const { header, ciphertext } = await seal(key, ctr, metadata, data.subarray(clear));
  return concat(metadata, header, ciphertext);
}

/**
 * Undoes {@link encryptFrame}: the key comes from the KID (RFC 9605 §4.4.4, §5.2), the CTR must be
 * new for that KID, and the tag must cover header, clear prefix and ciphertext. Throws an
 * {@link SFrameError} saying why otherwise.
 */
export async function decryptFrame(ring: KeyRing, codec: string, data: Bytes): Promise<Bytes> {
  const clear = clearPrefixLength(codec, data);
  const metadata = data.subarray(0, clear);
  const header = decodeHeader(data.subarray(clear));
  const { key, replay } = await ring.receiveSlot(header.kid);
  if (!replay.isFresh(header.ctr)) {
    throw new SFrameError('replayed', `KID ${header.kid} CTR ${header.ctr}`);
  }
  const plaintext = await open(key, header, data.subarray(clear + header.bytes.length), metadata);
  if (!replay.accept(header.ctr)) {
    throw new SFrameError('replayed', `KID ${header.kid} CTR ${header.ctr}`);
  }
  return concat(metadata, plaintext);
}

/**
 * Pipes encoded frames from `readable` to `writable`, encrypting or decrypting each with `ring`:
 * the one function behind both RTCRtpScriptTransform (`event.transformer.readable/writable`) and
 * `createEncodedStreams()`. A frame that cannot be processed is dropped and counted by reason —
 * never passed on, so a receiver without the right key renders nothing rather than garbage and a
 * sender never sends a frame in clear. Frames keep their order: each is finished before the next.
 */
export function transformStream(
  readable: ReadableStream<EncodedFrame>,
  writable: WritableStream<EncodedFrame>,
  options: TransformOptions,
  ring: KeyRing,
): FrameTransform {
  const counters: TransformCounters = { id: options.id, role: options.role, kind: options.kind, encrypted: 0, decrypted: 0, dropped: {} };
  const context = BigInt(options.context ?? 0);
  const fallbackCodec = options.codec ?? defaultCodec(options.kind);
  const transformer = new TransformStream<EncodedFrame, EncodedFrame>({
    async transform(frame, controller) {
      const codec = frame.getMetadata().mimeType ?? fallbackCodec;
      try {
        const data = new Uint8Array(frame.data);
        if (options.role === 'encrypt') {
          frame.data = (await encryptFrame(ring, codec, data, context)).buffer;
          counters.encrypted++;
        } else {
          frame.data = (await decryptFrame(ring, codec, data)).buffer;
          counters.decrypted++;
        }
        controller.enqueue(frame);
      } catch (error) {
        const reason: DropReason = error instanceof SFrameError ? error.code : 'internal-error';
        counters.dropped[reason] = (counters.dropped[reason] ?? 0) + 1;
        if (reason === 'internal-error') {
          counters.lastError = String(error);
        }
      }
    },
  });
  return { counters, done: readable.pipeThrough(transformer).pipeTo(writable) };
}
