import type { SFrameErrorCode } from './errors';
import type { EncodedFrame, TransformCounters, TransformOptions } from './frame-crypto';

/**
 * Messages from the page to the frame-crypto worker. Keys travel as the MLS exporter's output, never
 * as derived keys: the worker derives what it needs (RFC 9605 §4.4.2, §5.2).
 */
export type FrameCryptoRequest =
  /** Install an epoch's keys (KeyRing.setEpoch); answered with `epochs` or `error`. */
  | { type: 'set-epoch'; requestId: number; epoch: bigint; baseKey: Uint8Array; groupSize: number; senderIndex: number }
  /** Forget an epoch's keys, e.g. the previous one once the grace period after a commit is over. */
  | { type: 'drop-epoch'; requestId: number; epoch: bigint }
  /** The `createEncodedStreams()` path: streams transferred to the worker, with the transform's options. */
  | {
      type: 'transform';
      readable: ReadableStream<EncodedFrame>;
      writable: WritableStream<EncodedFrame>;
      options: TransformOptions;
    }
  /** Ask for every transform's counters; answered with `counters` and the same requestId. */
  | { type: 'get-counters'; requestId: number };

/** Messages from the worker to the page. */
export type FrameCryptoReply =
  /** The epochs held after a `set-epoch` or `drop-epoch`, newest first. */
  | { type: 'epochs'; requestId: number; epochs: bigint[] }
  | { type: 'counters'; requestId: number; transforms: TransformCounters[] }
  /**
   * A request refused (`requestId` names it), or a transform refused or failed (`transformId` names
   * it when its options could be read).
   */
  | {
      type: 'error';
      request: FrameCryptoRequest['type'] | 'rtctransform';
      code: SFrameErrorCode | 'bad-request' | 'internal-error';
      message: string;
      requestId?: number;
      transformId?: string;
    };
