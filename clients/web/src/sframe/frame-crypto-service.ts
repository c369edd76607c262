import { SFrameError } from './errors';
import { transformStream, type EncodedFrame, type FrameTransform, type TransformOptions } from './frame-crypto';
import { KeyRing } from './key-ring';
import type { FrameCryptoReply, FrameCryptoRequest } from './protocol';

type ErrorReply = Extract<FrameCryptoReply, { type: 'error' }>;

/** The part of `RTCTransformEvent` used here (`event.transformer` of RTCRtpScriptTransform). */
export interface TransformEventLike {
  readonly transformer: {
    readonly options: unknown;
    readonly readable: ReadableStream<EncodedFrame>;
    readonly writable: WritableStream<EncodedFrame>;
  };
}

/** The part of a DedicatedWorkerGlobalScope the service uses, so Node tests can stand in for it. */
export interface FrameCryptoScope {
  postMessage(message: FrameCryptoReply): void;
  onmessage: ((event: MessageEvent<FrameCryptoRequest>) => void) | null;
  onrtctransform: ((event: TransformEventLike) => void) | null;
}

/**
 * Serves the frame-crypto protocol (protocol.ts) in a worker: one {@link KeyRing} shared by every
 * transform, so all of this member's streams draw CTRs from one counter per KID (RFC 9605 §7.4),
 * and transforms arriving by either API — `onrtctransform` (RTCRtpScriptTransform) or a `transform`
 * message (`createEncodedStreams()`).
 */
export function serveFrameCrypto(scope: FrameCryptoScope, ring: KeyRing = new KeyRing()): void {
  const transforms = new Map<string, FrameTransform>();
  const fail = (request: ErrorReply['request'], error: unknown, names: Pick<ErrorReply, 'requestId' | 'transformId'>) =>
    scope.postMessage({
      type: 'error',
      request,
      code: error instanceof SFrameError ? error.code : 'internal-error',
      message: String(error),
      ...names,
    });

  const start = (request: 'transform' | 'rtctransform', readable: ReadableStream<EncodedFrame>, writable: WritableStream<EncodedFrame>, raw: unknown) => {
    const options = transformOptions(raw);
    if (!options) {
      // Leaving the streams unpiped sends and renders nothing, which is the safe failure.
      scope.postMessage({ type: 'error', request, code: 'bad-request', message: `bad transform options ${JSON.stringify(raw)}` });
      return;
    }
    const transform = transformStream(readable, writable, options, ring);
    transforms.set(options.id, transform);
    transform.done.catch((error: unknown) => fail(request, error, { transformId: options.id }));
  };

  scope.onrtctransform = ({ transformer }) => start('rtctransform', transformer.readable, transformer.writable, transformer.options);

  scope.onmessage = ({ data: message }) => {
    switch (message.type) {
      case 'set-epoch':
      case 'drop-epoch':
        try {
          if (message.type === 'set-epoch') {
            ring.setEpoch(message);
          } else {
            ring.dropEpoch(message.epoch);
          }
          scope.postMessage({ type: 'epochs', requestId: message.requestId, epochs: ring.epochs });
        } catch (error) {
          fail(message.type, error, { requestId: message.requestId });
        }
        break;
      case 'transform':
        start('transform', message.readable, message.writable, message.options);
        break;
      case 'get-counters':
        scope.postMessage({
          type: 'counters',
          requestId: message.requestId,
          transforms: [...transforms.values()].map(({ counters }) => ({ ...counters, dropped: { ...counters.dropped } })),
        });
        break;
    }
  };
}

/** The options if they are well-formed; structured clone brings anything a page sent. */
function transformOptions(raw: unknown): TransformOptions | undefined {
  if (typeof raw !== 'object' || raw === null) {
    return undefined;
  }
  const { id, role, kind, codec, context } = raw as Record<string, unknown>;
  const valid =
    typeof id === 'string' &&
    (role === 'encrypt' || role === 'decrypt') &&
    (kind === 'audio' || kind === 'video') &&
    (codec === undefined || typeof codec === 'string') &&
    (context === undefined || (Number.isSafeInteger(context) && (context as number) >= 0));
  return valid ? (raw as TransformOptions) : undefined;
}
