import type { MediaKind } from './codec-prefix';
import type { EncodedFrame, TransformCounters, TransformOptions } from './frame-crypto';
import type { EpochKeys } from './key-ring';
import type { FrameCryptoReply, FrameCryptoRequest } from './protocol';

/** The worker as the client uses it: a real `Worker`, or a test double. */
export interface FrameCryptoPort {
  postMessage(message: FrameCryptoRequest, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<FrameCryptoReply>) => void): void;
}

/** A sender or receiver of `new RTCPeerConnection({ encodedInsertableStreams: true })` in Chromium. */
interface InsertableStreams {
  createEncodedStreams(): { readable: ReadableStream<EncodedFrame>; writable: WritableStream<EncodedFrame> };
}

/** A request the worker refused, with the worker's code (an SFrameErrorCode, or `bad-request`). */
export class FrameCryptoRequestError extends Error {
  constructor(
    readonly code: TransformFailure['code'],
    message: string,
  ) {
    super(message);
    this.name = 'FrameCryptoRequestError';
  }
}

/** A transform refused or failed in the worker; the call code decides what to show. */
export type TransformFailure = Extract<FrameCryptoReply, { type: 'error' }>;

/**
 * The page's handle on the frame-crypto worker (worker.ts): hands it each MLS epoch's exporter
 * output, puts an SFrame transform on every RTCRtpSender and RTCRtpReceiver, and reads the counters.
 * Uses RTCRtpScriptTransform where the browser has it, otherwise `createEncodedStreams()` — which
 * Chromium only allows on a connection made with `{ encodedInsertableStreams: true }`.
 */
export class FrameCryptoClient {
  readonly #port: FrameCryptoPort;
  readonly #worker: Worker | undefined;
  readonly #pending = new Map<number, { resolve: (reply: FrameCryptoReply) => void; reject: (error: FrameCryptoRequestError) => void }>();
  #nextRequest = 0;
  #nextTransform = 0;

  /**
   * @param worker the frame-crypto worker; RTCRtpScriptTransform needs the real `Worker`
   * @param onTransformFailure told when the worker refuses a transform or its pipe breaks
   */
  constructor(worker: Worker | FrameCryptoPort, onTransformFailure: (failure: TransformFailure) => void = () => {}) {
    this.#port = worker;
    this.#worker = typeof Worker !== 'undefined' && worker instanceof Worker ? worker : undefined;
    this.#port.addEventListener('message', ({ data: reply }) => {
      const requestId = reply.requestId;
      if (requestId === undefined) {
        if (reply.type === 'error') {
          onTransformFailure(reply);
        }
        return;
      }
      const pending = this.#pending.get(requestId);
      this.#pending.delete(requestId);
      if (reply.type === 'error') {
        pending?.reject(new FrameCryptoRequestError(reply.code, reply.message));
      } else {
        pending?.resolve(reply);
      }
    });
  }

  /** Installs an epoch's keys (see KeyRing.setEpoch); resolves with the epochs held, newest first. */
  async setEpoch(keys: EpochKeys): Promise<bigint[]> {
    const reply = await this.#request((requestId) => ({ type: 'set-epoch', requestId, ...keys, baseKey: keys.baseKey.slice() }));
    return reply.type === 'epochs' ? reply.epochs : [];
  }

  /** Forgets an epoch's keys; resolves with the epochs held. */
  async dropEpoch(epoch: bigint): Promise<bigint[]> {
    const reply = await this.#request((requestId) => ({ type: 'drop-epoch', requestId, epoch }));
    return reply.type === 'epochs' ? reply.epochs : [];
  }

  /** Every transform's counters: frames encrypted, decrypted, and dropped by reason. */
  async counters(): Promise<TransformCounters[]> {
    const reply = await this.#request((requestId) => ({ type: 'get-counters', requestId }));
    return reply.type === 'counters' ? reply.transforms : [];
  }

  /** Encrypts everything `sender` sends; returns the transform's id in the counters. */
  protectSender(sender: RTCRtpSender, kind: MediaKind, codec?: string): string {
    return this.#attach(sender, 'encrypt', kind, codec);
  }

  /** Decrypts everything `receiver` gets, dropping what fails; returns the transform's id. */
  protectReceiver(receiver: RTCRtpReceiver, kind: MediaKind, codec?: string): string {
    return this.#attach(receiver, 'decrypt', kind, codec);
  }

  #attach(endpoint: RTCRtpSender | RTCRtpReceiver, role: TransformOptions['role'], kind: MediaKind, codec?: string): string {
    const options: TransformOptions = { id: `${role}-${kind}-${++this.#nextTransform}`, role, kind, ...(codec ? { codec } : {}) };
    if (this.#worker && typeof RTCRtpScriptTransform !== 'undefined') {
      endpoint.transform = new RTCRtpScriptTransform(this.#worker, options);
    } else {
      const { readable, writable } = (endpoint as unknown as InsertableStreams).createEncodedStreams();
      this.#port.postMessage({ type: 'transform', readable, writable, options }, [
        readable as unknown as Transferable,
        writable as unknown as Transferable,
      ]);
    }
    return options.id;
  }

  #request(build: (requestId: number) => FrameCryptoRequest): Promise<FrameCryptoReply> {
    const requestId = ++this.#nextRequest;
    return new Promise((resolve, reject) => {
      this.#pending.set(requestId, { resolve, reject });
      this.#port.postMessage(build(requestId), []);
    });
  }
}
