import { describe, expect, it, vi } from 'vitest';
import { FrameCryptoClient, type FrameCryptoPort, type TransformFailure } from '../../src/sframe/frame-crypto-client';
import { serveFrameCrypto, type FrameCryptoScope } from '../../src/sframe/frame-crypto-service';
import type { EncodedFrame } from '../../src/sframe/frame-crypto';
import type { FrameCryptoReply, FrameCryptoRequest } from '../../src/sframe/protocol';
import { FakeFrame, opusFrame, payload, vp8Delta, vp8Keyframe } from './frames';

/** A worker in the same thread: messages go through structuredClone, as postMessage would clone them. */
function inProcessWorker(): { port: FrameCryptoPort; scope: FrameCryptoScope; replies: FrameCryptoReply[] } {
  const listeners: ((event: MessageEvent<FrameCryptoReply>) => void)[] = [];
  const replies: FrameCryptoReply[] = [];
  const scope: FrameCryptoScope = {
    onmessage: null,
    onrtctransform: null,
    postMessage(reply) {
      const copy = structuredClone(reply);
      replies.push(copy);
      queueMicrotask(() => listeners.forEach((listener) => listener({ data: copy } as MessageEvent<FrameCryptoReply>)));
    },
  };
  const port: FrameCryptoPort = {
    postMessage(message: FrameCryptoRequest, transfer: Transferable[]) {
      const copy = message.type === 'transform' ? message : structuredClone(message, { transfer });
      queueMicrotask(() => scope.onmessage?.({ data: copy } as MessageEvent<FrameCryptoRequest>));
    },
    addEventListener: (_type, listener) => void listeners.push(listener),
  };
  serveFrameCrypto(scope);
  return { port, scope, replies };
}

/** An RTCRtpSender/Receiver of an `encodedInsertableStreams` connection, fed with `frames`. */
function insertableEndpoint(frames: EncodedFrame[]) {
  const out: FakeFrame[] = [];
  const endpoint = {
    createEncodedStreams: () => ({
      readable: new ReadableStream<EncodedFrame>({
        start(controller) {
          frames.forEach((frame) => controller.enqueue(frame));
          controller.close();
        },
      }),
      writable: new WritableStream<EncodedFrame>({ write: (frame) => void out.push(frame as FakeFrame) }),
    }),
  };
  return { endpoint: endpoint as unknown as RTCRtpSender & RTCRtpReceiver, streams: endpoint.createEncodedStreams, out };
}

const baseKey = new Uint8Array(16).fill(7);

describe('frame-crypto worker protocol', () => {
  it('installs epochs and reports refusals with their code', async () => {
    const client = new FrameCryptoClient(inProcessWorker().port);

    expect(await client.setEpoch({ epoch: 3n, baseKey, groupSize: 2, senderIndex: 0 })).toEqual([3n]);
    expect(await client.setEpoch({ epoch: 4n, baseKey, groupSize: 2, senderIndex: 0 })).toEqual([4n, 3n]);
    await expect(client.setEpoch({ epoch: 1n, baseKey, groupSize: 2, senderIndex: 0 })).rejects.toMatchObject({ code: 'stale-epoch' });
    await expect(client.setEpoch({ epoch: 5n, baseKey: new Uint8Array(5), groupSize: 2, senderIndex: 0 })).rejects.toMatchObject({ code: 'bad-key-length' });
    expect(await client.dropEpoch(3n)).toEqual([4n]);
  });

  it('encrypts a sender and decrypts a receiver through createEncodedStreams, and counts both', async () => {
    const alice = new FrameCryptoClient(inProcessWorker().port);
    const bob = new FrameCryptoClient(inProcessWorker().port);
    await alice.setEpoch({ epoch: 9n, baseKey, groupSize: 2, senderIndex: 0 });
    await bob.setEpoch({ epoch: 9n, baseKey, groupSize: 2, senderIndex: 1 });
    const frames = [vp8Keyframe(payload(900)), vp8Delta(payload(200)), vp8Delta(payload(40))];

    const sending = insertableEndpoint(frames.map((bytes) => new FakeFrame(bytes, 'video/VP8')));
    const sendId = alice.protectSender(sending.endpoint, 'video');
    await vi.waitFor(() => expect(sending.out).toHaveLength(3));
    const garbage = new FakeFrame(vp8Delta(payload(60)), 'video/VP8');
    const receiving = insertableEndpoint([...sending.out, garbage]);
    const receiveId = bob.protectReceiver(receiving.endpoint, 'video');
    await vi.waitFor(() => expect(receiving.out).toHaveLength(3));

    expect(receiving.out.map((frame) => frame.bytes)).toEqual(frames);
    expect(await alice.counters()).toEqual([{ id: sendId, role: 'encrypt', kind: 'video', encrypted: 3, decrypted: 0, dropped: {} }]);
    await vi.waitFor(async () =>
      expect(await bob.counters()).toEqual([
        { id: receiveId, role: 'decrypt', kind: 'video', encrypted: 0, decrypted: 3, dropped: { 'unknown-epoch': 1 } },
      ]),
    );
  });

  it('serves RTCRtpScriptTransform through onrtctransform and refuses bad options', async () => {
    const worker = inProcessWorker();
    const client = new FrameCryptoClient(worker.port);
    await client.setEpoch({ epoch: 1n, baseKey, groupSize: 2, senderIndex: 0 });
    const { streams, out } = insertableEndpoint([new FakeFrame(opusFrame(payload(80)), 'audio/opus')]);

    worker.scope.onrtctransform?.({ transformer: { options: { id: 'mic', role: 'encrypt', kind: 'audio' }, ...streams() } });
    worker.scope.onrtctransform?.({ transformer: { options: { id: 'x', role: 'scramble', kind: 'audio' }, ...insertableEndpoint([]).streams() } });

    await vi.waitFor(() => expect(out).toHaveLength(1));
    expect(out[0]!.bytes[0]).toBe(0xfc);
    expect(out[0]!.bytes.length).toBe(81 + 1 + 16); // KID 1 and CTR 0 both fit in the config byte
    expect(worker.replies).toContainEqual(expect.objectContaining({ type: 'error', request: 'rtctransform', code: 'bad-request' }));
    expect((await client.counters()).map(({ id, encrypted }) => [id, encrypted])).toEqual([['mic', 1]]);
  });

  it('tells the page when a transform pipe fails', async () => {
    const worker = inProcessWorker();
    const failures: TransformFailure[] = [];
    const client = new FrameCryptoClient(worker.port, (failure) => failures.push(failure));
    const endpoint = {
      createEncodedStreams: () => ({
        readable: new ReadableStream<EncodedFrame>({ start: (controller) => controller.error(new Error('track ended')) }),
        writable: new WritableStream<EncodedFrame>(),
      }),
    } as unknown as RTCRtpReceiver;

    const id = client.protectReceiver(endpoint, 'video');

    await vi.waitFor(() => expect(failures).toEqual([expect.objectContaining({ request: 'transform', transformId: id, code: 'internal-error' })]));
  });
});
