import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HANDOVER_TIMEOUT_MS, SILENT_MS } from '../../src/call/connection-handover';
import { MediaSession, type RemoteTrack } from '../../src/call/media-session';
import type { CallSocket } from '../../src/signaling/call-socket';
import { ProtocolError } from '../../src/signaling/protocol';

/**
 * The media session's `media-restart` (docs/protocol.md): a new connection with the same tracks,
 * encrypted again, offered at once, and nothing of the old connection's pending work applied; and
 * its `media-layout` while the page is hidden. The browser's WebRTC objects (and the document's
 * visibility) are stood in for by small fakes that record what the session does.
 */

class FakeTransceiver {
  static received = 0;
  mid: string | null = null;
  currentDirection: string | null = null;
  readonly sender: { track: MediaStreamTrack | null };
  readonly receiver: { track: { kind: string; id: string } };
  stopped = false;

  constructor(readonly kind: string, track: MediaStreamTrack | null, readonly direction: string) {
    this.sender = { track };
    this.receiver = { track: { kind, id: `${kind}-${++FakeTransceiver.received}` } };
  }

  setCodecPreferences(): void {}

  stop(): void {
    this.stopped = true;
  }
}

class FakePeerConnection {
  static made: FakePeerConnection[] = [];
  readonly transceivers: FakeTransceiver[] = [];
  readonly remoteAnswers: string[] = [];
  connectionState: RTCPeerConnectionState = 'new';
  signalingState = 'stable';
  localDescription: { type: string; sdp: string } | null = null;
  onconnectionstatechange: (() => void) | null = null;
  ontrack: (() => void) | null = null;
  closed = false;
  /** What `getStats()` reports: `inbound-rtp` entries by mid. */
  readonly inbound = new Map<string, { framesDecoded?: number; packetsReceived?: number;
    lastPacketReceivedTimestamp?: number }>();
  private readonly listeners = new Set<() => void>();
  private offers = 0;

  constructor() {
    FakePeerConnection.made.push(this);
  }

  addTransceiver(trackOrKind: MediaStreamTrack | string, init: { direction: string }): FakeTransceiver {
    const track = typeof trackOrKind === 'string' ? null : trackOrKind;
    const kind = typeof trackOrKind === 'string' ? trackOrKind : trackOrKind.kind;
    const transceiver = new FakeTransceiver(kind, track, init.direction);
    this.transceivers.push(transceiver);
    return transceiver;
  }

  getTransceivers(): FakeTransceiver[] {
    return this.transceivers;
  }

  async createOffer(): Promise<{ type: string; sdp: string }> {
    return { type: 'offer', sdp: `offer-${FakePeerConnection.made.indexOf(this)}-${++this.offers}` };
  }

  async setLocalDescription(description: { type: string; sdp?: string }): Promise<void> {
    if (this.closed) {
      throw new Error('closed');
    }
    if (description.type === 'rollback') {
      this.localDescription = null;
      return;
    }
    this.localDescription = { type: description.type, sdp: description.sdp ?? '' };
    this.transceivers.forEach((transceiver, index) => (transceiver.mid ??= String(index)));
  }

  async setRemoteDescription(description: { sdp: string }): Promise<void> {
    if (this.closed) {
      throw new Error('closed');
    }
    this.remoteAnswers.push(description.sdp);
  }

  restartIce(): void {}

  /** Whether packets keep arriving: each `getStats()` then says every inbound stream received one just now. */
  flowing = false;

  async getStats(): Promise<Map<string, Record<string, unknown>>> {
    if (this.flowing) {
      for (const [mid, entry] of this.inbound) {
        this.inbound.set(mid, { ...entry, packetsReceived: (entry.packetsReceived ?? 0) + 10,
          lastPacketReceivedTimestamp: Date.now() });
      }
    }
    return new Map([...this.inbound].map(([mid, entry]) =>
      [`in-${mid}`, { type: 'inbound-rtp', timestamp: Date.now(), mid, ...entry }]));
  }

  addEventListener(type: string, listener: () => void): void {
    if (type === 'connectionstatechange') {
      this.listeners.add(listener);
    }
  }

  removeEventListener(_type: string, listener: () => void): void {
    this.listeners.delete(listener);
  }

  /** The connection's state changes, as the browser would say. */
  become(state: RTCPeerConnectionState): void {
    this.connectionState = state;
    this.onconnectionstatechange?.();
    this.listeners.forEach((listener) => listener());
  }

  close(): void {
    this.closed = true;
    this.connectionState = 'closed';
    this.signalingState = 'closed';
  }
}

/** A socket whose `media-offer` requests the test answers (or fails) one by one. */
class FakeSocket {
  readonly offers: { message: Record<string, unknown>; resolve: (reply: Record<string, unknown>) => void;
    reject: (error: unknown) => void }[] = [];

  readonly sent: Record<string, unknown>[] = [];

  send(message: Record<string, unknown>): void {
    this.sent.push(message);
  }

  request(message: Record<string, unknown>): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => this.offers.push({ message, resolve, reject }));
  }

  answer(index: number, subscriptions: unknown[] = []): void {
    this.offers[index].resolve({ type: 'media-answer', sdp: `answer-${index}`, subscriptions });
  }
}

function track(kind: string, id: string): MediaStreamTrack {
  return { kind, id } as unknown as MediaStreamTrack;
}

/** Lets the session's promise chains run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await Promise.resolve();
  }
}

describe('MediaSession', () => {
  let socket: FakeSocket;
  let protectedSenders: { track: MediaStreamTrack | null }[];
  let protectedReceivers: { track: { kind: string } }[];
  let states: RTCPeerConnectionState[];
  let shown: (readonly RemoteTrack[])[];
  let session: MediaSession;
  const stream = {} as MediaStream;
  const microphone = track('audio', 'mic');
  const camera = track('video', 'cam');

  beforeEach(() => {
    FakePeerConnection.made = [];
    vi.stubGlobal('RTCPeerConnection', FakePeerConnection);
    vi.stubGlobal('RTCRtpReceiver', { getCapabilities: () => ({ codecs: [{ mimeType: 'video/VP8' }] }) });
    socket = new FakeSocket();
    protectedSenders = [];
    protectedReceivers = [];
    states = [];
    shown = [];
    session = newSession();
  });

  function newSession(): MediaSession {
    return new MediaSession(socket as unknown as CallSocket, 'p-self', {
      protectSender: (sender) => protectedSenders.push(sender as unknown as { track: MediaStreamTrack | null }),
      protectReceiver: (receiver) => protectedReceivers.push(receiver as unknown as { track: { kind: string } }),
    }, { remoteTracks: (tracks) => shown.push(tracks), connection: (state) => states.push(state) });
  }

  afterEach(() => {
    session.close();
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  /** Publishes microphone and camera, subscribes to bob's camera, and completes that first offer. */
  async function inCall(): Promise<FakePeerConnection> {
    session.publish(microphone, 'microphone', stream);
    session.publish(camera, 'camera', stream);
    session.setTracks('p-bob', [{ trackId: '1', kind: 'video', source: 'camera' }]);
    await settle();
    expect(socket.offers).toHaveLength(1);
    socket.answer(0, [{ mid: '2', participantId: 'p-bob', trackId: '1', kind: 'video', source: 'camera' }]);
    await settle();
    expect(socket.offers).toHaveLength(1);
    return FakePeerConnection.made[0];
  }

  it('closes a lost relay\'s connection at once: it carries nothing', async () => {
    const first = await inCall();

    session.restartMedia(false);
    await settle();

    expect(FakePeerConnection.made).toHaveLength(2);
    expect(first.closed).toBe(true);
    expect(session.pc as unknown).toBe(FakePeerConnection.made[1]);
    expect(socket.offers).toHaveLength(2);
  });

  it('sends the same tracks, encrypted again, from a new connection and offers at once', async () => {
    const first = await inCall();
    expect(protectedSenders).toHaveLength(2);

    session.restartMedia();
    await settle();

    expect(FakePeerConnection.made).toHaveLength(2);
    const second = FakePeerConnection.made[1];
    expect(first.closed).toBe(false); // it plays on until the new one delivers (make-before-break)
    expect(session.pc as unknown).toBe(second);
    const sending = second.transceivers.filter((t) => t.direction === 'sendonly');
    expect(sending.map((t) => t.sender.track)).toEqual([microphone, camera]);
    expect(protectedSenders).toHaveLength(4);
    expect(protectedSenders.slice(2)).toEqual(sending.map((t) => t.sender));
    // bob's camera needs a slot again on the new connection, with its decrypting transform.
    const receiving = second.transceivers.filter((t) => t.direction === 'recvonly');
    expect(receiving.map((t) => t.kind)).toEqual(['video']);
    expect(protectedReceivers.at(-1)).toBe(receiving[0].receiver);

    expect(socket.offers).toHaveLength(2);
    const offer = socket.offers[1].message;
    expect(offer.type).toBe('media-offer');
    expect(offer.sdp).toBe('offer-1-1');
    expect(offer.sources).toEqual({ 0: 'microphone', 1: 'camera' });
    expect(session.sending('camera') as unknown).toBe(sending[1]);
    expect(states.at(-1)).toBe('new');

    socket.answer(1, [{ mid: '2', participantId: 'p-bob', trackId: '1', kind: 'video', source: 'camera' }]);
    await settle();
    expect(second.remoteAnswers).toEqual(['answer-1']);
  });

  it('drops an answer meant for the replaced connection and lets the new one offer alone', async () => {
    await inCall();
    session.publish(track('video', 'screen'), 'screen', stream);
    await settle();
    expect(socket.offers).toHaveLength(2); // pending: the screen share's offer on the first connection

    session.restartMedia();
    await settle();
    expect(socket.offers).toHaveLength(3); // the new connection did not wait for the old offer

    socket.answer(1); // the old connection's answer arrives late
    await settle();
    const second = FakePeerConnection.made[1];
    expect(FakePeerConnection.made[0].remoteAnswers).toEqual(['answer-0']);
    expect(second.remoteAnswers).toEqual([]);
    session.setTracks('p-carol', [{ trackId: '0', kind: 'audio', source: 'microphone' }]);
    await settle();
    expect(socket.offers).toHaveLength(3); // it did not unlock a second offer beside the new one's

    socket.answer(2);
    await settle();
    expect(second.remoteAnswers).toEqual(['answer-2']);
    expect(socket.offers).toHaveLength(4); // carol's microphone: the next offer, after the answer
    expect(socket.offers[2].message.sources).toEqual({ 0: 'microphone', 1: 'camera', 2: 'screen' });
  });

  it('does not retry an offer of the replaced connection that failed', async () => {
    vi.useFakeTimers();
    await inCall();
    session.setTracks('p-carol', [{ trackId: '0', kind: 'audio', source: 'microphone' }]);
    await settle();
    expect(socket.offers).toHaveLength(2);

    session.restartMedia();
    await settle();
    socket.offers[1].reject(new ProtocolError('media-unavailable', 'the relay is gone', 'media-offer'));
    await settle();
    await vi.advanceTimersByTimeAsync(5000);

    expect(socket.offers).toHaveLength(3); // the restart's offer only, no retry of the old one
    expect(socket.offers[2].message.sdp).toBe('offer-1-1');
  });

  it('after a restart, a failed offer of the new connection is retried as before', async () => {
    vi.useFakeTimers();
    await inCall();
    session.restartMedia();
    await settle();
    socket.offers[1].reject(new ProtocolError('media-unavailable', 'retry', 'media-offer'));
    await settle();
    await vi.advanceTimersByTimeAsync(1500);

    expect(socket.offers).toHaveLength(3);
    expect(socket.offers[2].message.sdp).toBe('offer-1-2');
  });

  it('reports the cameras it receives as not shown while the page is hidden, and shown again after', async () => {
    vi.useFakeTimers();
    const page = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    vi.stubGlobal('document', page);
    session.close();
    session = newSession();
    session.setTracks('p-bob', [{ trackId: '1', kind: 'video', source: 'camera' }]);
    await settle();
    socket.answer(0, [{ mid: '0', participantId: 'p-bob', trackId: '1', kind: 'video', source: 'camera' }]);
    await settle();
    const bob = (session.pc as unknown as FakePeerConnection).transceivers[0].receiver.track as unknown as MediaStreamTrack;
    session.rendered(bob, { width: 640, height: 360 });
    await vi.advanceTimersByTimeAsync(300);
    expect(socket.sent.at(-1)).toEqual({ type: 'media-layout', tracks: { 0: { width: 640, height: 360 } } });

    page.visibilityState = 'hidden';
    page.dispatchEvent(new Event('visibilitychange'));
    await vi.advanceTimersByTimeAsync(300);
    expect(socket.sent.at(-1)).toEqual({ type: 'media-layout', tracks: { 0: { width: 0, height: 0 } } });

    page.visibilityState = 'visible';
    page.dispatchEvent(new Event('visibilitychange'));
    await vi.advanceTimersByTimeAsync(0);
    expect(socket.sent.at(-1)).toEqual({ type: 'media-layout', tracks: { 0: { width: 640, height: 360 } } });

    session.close();
    page.visibilityState = 'hidden';
    page.dispatchEvent(new Event('visibilitychange'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(socket.sent).toHaveLength(3); // a closed session reports nothing
  });
  describe('make-before-break', () => {
    const bobCamera = { mid: '0', participantId: 'p-bob', trackId: '1', kind: 'video', source: 'camera' };

    /** Receives bob's camera (nothing published, so its slot is the first section, mid 0, on every connection). */
    async function receivingBob(): Promise<FakePeerConnection> {
      session.setTracks('p-bob', [{ trackId: '1', kind: 'video', source: 'camera' }]);
      await settle();
      socket.answer(0, [bobCamera]);
      await settle();
      const first = FakePeerConnection.made[0];
      first.inbound.set('0', { packetsReceived: 100, framesDecoded: 30 });
      first.flowing = true; // its relay is alive: it drains
      return first;
    }

    /** The track of bob's camera in the last list the session announced, if any. */
    function bobShown(): unknown {
      return shown.at(-1)?.find((t) => t.participantId === 'p-bob' && t.source === 'camera')?.track;
    }

    it('shows the old connection\'s track until the new one decodes a frame, then closes the old one', async () => {
      vi.useFakeTimers();
      const first = await receivingBob();
      const oldTrack = first.transceivers[0].receiver.track;
      expect(bobShown()).toBe(oldTrack);

      session.restartMedia();
      await settle();
      const second = FakePeerConnection.made[1];
      expect(bobShown()).toBe(oldTrack);
      socket.answer(1, [bobCamera]);
      await settle();
      const newTrack = second.transceivers[0].receiver.track;
      expect(newTrack).not.toBe(oldTrack);
      await vi.advanceTimersByTimeAsync(300);
      expect(bobShown()).toBe(oldTrack); // nothing decoded on the new connection yet
      expect(first.closed).toBe(false);

      second.inbound.set('0', { packetsReceived: 40, framesDecoded: 0 });
      await vi.advanceTimersByTimeAsync(300);
      expect(bobShown()).toBe(oldTrack); // packets, but no picture yet (waiting for a keyframe)
      expect(first.closed).toBe(false);

      second.inbound.set('0', { packetsReceived: 60, framesDecoded: 1 });
      await vi.advanceTimersByTimeAsync(200);
      expect(bobShown()).toBe(newTrack);
      expect(shown.at(-1)).toHaveLength(1);
      expect(first.closed).toBe(true);
      expect(second.closed).toBe(false);
    });

    it('switches after the timeout when the new connection shows nothing', async () => {
      vi.useFakeTimers();
      const first = await receivingBob();
      session.restartMedia();
      await settle();
      socket.answer(1, [bobCamera]);
      await settle();
      await vi.advanceTimersByTimeAsync(HANDOVER_TIMEOUT_MS - 200);
      expect(first.closed).toBe(false);
      expect(bobShown()).toBe(first.transceivers[0].receiver.track);

      await vi.advanceTimersByTimeAsync(400);
      expect(first.closed).toBe(true);
      expect(bobShown()).toBe(FakePeerConnection.made[1].transceivers[0].receiver.track);
    });

    it('gives up the old connection at once when it fails (its relay died)', async () => {
      vi.useFakeTimers();
      const first = await receivingBob();
      session.restartMedia();
      await settle();
      const before = states.length;

      first.become('failed');

      expect(first.closed).toBe(true);
      expect(shown.at(-1)).toEqual([]); // the new connection has no answer yet: nothing to show
      expect(states.slice(before)).toEqual([]); // the old connection's state is no news for the banner
    });

    it('gives up an old connection once it has received nothing for a while (its relay died)', async () => {
      vi.useFakeTimers();
      const first = await receivingBob();
      await first.getStats(); // a last packet now
      first.flowing = false;
      session.restartMedia();
      await settle();
      socket.answer(1, [bobCamera]);
      await settle();
      await vi.advanceTimersByTimeAsync(SILENT_MS - 300);
      expect(first.closed).toBe(false);

      await vi.advanceTimersByTimeAsync(500);
      expect(first.closed).toBe(true);
      expect(bobShown()).toBe(FakePeerConnection.made[1].transceivers[0].receiver.track);
    });

    it('shows a track without an old counterpart at once', async () => {
      vi.useFakeTimers();
      const first = await receivingBob();
      session.restartMedia();
      await settle();
      session.setTracks('p-carol', [{ trackId: '0', kind: 'audio', source: 'microphone' }]);
      socket.answer(1, [bobCamera]);
      await settle();
      socket.answer(2, [bobCamera, { mid: '1', participantId: 'p-carol', trackId: '0', kind: 'audio', source: 'microphone' }]);
      await settle();

      const second = FakePeerConnection.made[1];
      expect(bobShown()).toBe(first.transceivers[0].receiver.track);
      expect(shown.at(-1)?.find((t) => t.participantId === 'p-carol')?.track).toBe(second.transceivers[1].receiver.track);
      expect(first.closed).toBe(false);
    });

    it('a second restart during the handover closes the first old connection', async () => {
      vi.useFakeTimers();
      const first = await receivingBob();
      session.restartMedia();
      await settle();
      session.restartMedia();
      await settle();

      expect(first.closed).toBe(true);
      expect(FakePeerConnection.made[1].closed).toBe(false); // now the one that plays on
      expect(FakePeerConnection.made).toHaveLength(3);
    });

    it('closing the session closes both connections', async () => {
      vi.useFakeTimers();
      const first = await receivingBob();
      session.restartMedia();
      await settle();
      const calls = shown.length;

      session.close();

      expect(first.closed).toBe(true);
      expect(FakePeerConnection.made[1].closed).toBe(true);
      await vi.advanceTimersByTimeAsync(HANDOVER_TIMEOUT_MS);
      expect(shown).toHaveLength(calls); // nothing announced after the close
    });
  });
});
