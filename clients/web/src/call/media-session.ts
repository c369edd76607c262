import type { CallSocket } from '../signaling/call-socket';
import { ProtocolError, type MediaAnswer, type MediaTrack, type Subscription, type TrackKind, type TrackSource }
  from '../signaling/protocol';
import { ConnectionHandover } from './connection-handover';
import type { FrameProtection } from './frame-protection';
import { LayoutReporter, type RenderedSize } from './layout-reporter';
import { sendEncodings } from './simulcast';

/** A track another participant publishes, as this session receives it. */
export interface RemoteTrack {
  readonly participantId: string;
  readonly trackId: string;
  readonly kind: TrackKind;
  readonly source: TrackSource;
  readonly track: MediaStreamTrack;
  readonly mid: string;
}

export interface MediaSessionListener {
  /** The remote tracks now received, after each answer. */
  remoteTracks(tracks: readonly RemoteTrack[]): void;
  /** The transport's state, for the reconnect banner. */
  connection(state: RTCPeerConnectionState): void;
}

const RETRY_MS = 1000;

/**
 * The call's one `RTCPeerConnection` to the media relay (docs/protocol.md, "Media"): this side
 * always offers, one offer at a time, whenever what it publishes changes or the room's tracks
 * differ from what its slots carry; before offering it adds `recvonly` transceivers until each
 * kind has a free slot per track without one. The relay answers which track each slot carries.
 *
 * On `media-restart` (the call moved to another relay) {@link restartMedia} replaces the
 * connection with a new one carrying the same tracks; whatever was pending for the old one is
 * dropped, by its generation. The old connection plays on until the new one's tracks deliver
 * media ({@link ConnectionHandover}: make-before-break).
 */
export class MediaSession {
  /** The connection to the call's relay now; {@link restartMedia} replaces it. */
  pc: RTCPeerConnection;
  /** After a media restart, until the new connection's tracks deliver media: the old one plays on. */
  private handover: ConnectionHandover | null = null;
  /** What {@link pc} receives, as last announced. */
  private received: RemoteTrack[] = [];
  /** Every other participant's published tracks, by participant. */
  private readonly roomTracks = new Map<string, readonly MediaTrack[]>();
  private subscriptions = new Map<string, Subscription>();
  private readonly published = new Map<RTCRtpTransceiver, TrackSource>();
  /** The stream each published track was sent in, to send it in again after a media restart. */
  private readonly streams = new Map<RTCRtpTransceiver, MediaStream>();
  /** Bumped by each media restart: offers and retries begun before it are dropped. */
  private generation = 0;
  private publishedChanged = true;
  private offering = false;
  private again = false;
  private closed = false;
  private retry: ReturnType<typeof setTimeout> | null = null;
  offers = 0;
  private readonly layout: LayoutReporter;

  constructor(
    private readonly socket: CallSocket,
    private readonly self: string,
    private readonly protection: FrameProtection,
    private readonly listener: MediaSessionListener,
    /** Stated in every offer (docs/protocol.md, `media-offer` `region`); null: none. */
    private readonly region: string | null = null,
  ) {
    this.pc = this.connect();
    this.layout = new LayoutReporter((track) => this.receivingMid(track),
      (tracks) => this.socket.send({ type: 'media-layout', tracks }));
    if (typeof document !== 'undefined') {
      document.addEventListener('visibilitychange', this.visibility);
      this.visibility();
    }
  }

  /** A hidden page shows no tile: the relay pauses every video track for it until it is shown again. */
  private readonly visibility = (): void => {
    this.layout.setPageHidden(document.visibilityState === 'hidden');
  };

  private connect(): RTCPeerConnection {
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    pc.onconnectionstatechange = () => {
      if (pc !== this.pc) {
        return; // a replaced connection's last words
      }
      this.listener.connection(pc.connectionState);
      if (pc.connectionState === 'failed') {
        this.restart();
      }
    };
    pc.ontrack = () => {
      if (pc === this.pc) {
        this.announce();
      }
    };
    return pc;
  }

  /**
   * The UI renders a received video `track` at `size` (CSS pixels), or no longer (null): the relay
   * forwards it no larger, and pauses it while it is shown nowhere (docs/protocol.md, `media-layout`).
   */
  rendered(track: MediaStreamTrack, size: RenderedSize | null): void {
    this.layout.rendered(track, size, globalThis.devicePixelRatio ?? 1);
  }

  private receivingMid(track: MediaStreamTrack): string | null {
    const transceiver = this.pc.getTransceivers()
      .find((t) => !this.published.has(t) && t.receiver.track === track && t.mid !== null);
    return transceiver?.mid ?? null;
  }

  /** Starts sending `track` as `source`; resolves once the relay has answered. */
  publish(track: MediaStreamTrack, source: TrackSource, stream: MediaStream): RTCRtpTransceiver {
    const transceiver = this.send(track, source, stream);
    this.negotiate();
    return transceiver;
  }

  private send(track: MediaStreamTrack, source: TrackSource, stream: MediaStream): RTCRtpTransceiver {
    const encodings = sendEncodings(track.kind as TrackKind, source, track.getSettings?.().height);
    const transceiver = this.pc.addTransceiver(track, {
      direction: 'sendonly', streams: [stream], ...(encodings ? { sendEncodings: encodings } : {}),
    });
    if (track.kind === 'video') {
      preferVp8(transceiver);
    }
    this.protection.protectSender(transceiver.sender, track.kind as TrackKind);
    this.published.set(transceiver, source);
    this.streams.set(transceiver, stream);
    this.publishedChanged = true;
    return transceiver;
  }

  /** The transceiver that sends `source` now, if any (it changes with a media restart). */
  sending(source: TrackSource): RTCRtpTransceiver | null {
    for (const [transceiver, sent] of this.published) {
      if (sent === source) {
        return transceiver;
      }
    }
    return null;
  }

  /**
   * `media-restart` (docs/protocol.md): the call's media moved to another relay, which has its own
   * DTLS certificate, so this connection cannot follow it. A new `RTCPeerConnection` sends the same
   * tracks, each encrypted again by its own transform (the MLS group and its keys are unchanged),
   * and offers at once; the room's tracks are known, so its slots follow. An offer, answer or retry
   * still pending for the old connection is dropped. Nobody leaves or joins the call. With
   * {@code makeBeforeBreak} (the old relay drains, so it still forwards) the old connection is not
   * closed yet: its tracks show until their successors deliver media ({@link ConnectionHandover});
   * a second restart meanwhile ends the first handover at once. Without (the old relay was lost),
   * it closes at once: it carries nothing, and its encoders would only slow the new connection's
   * start on a busy device.
   */
  restartMedia(makeBeforeBreak = true): void {
    if (this.closed) {
      return;
    }
    this.handover?.finish();
    const sent = [...this.published].map(([transceiver, source]) =>
      ({ track: transceiver.sender.track, source, stream: this.streams.get(transceiver)! }));
    this.generation++;
    if (this.retry) {
      clearTimeout(this.retry);
      this.retry = null;
    }
    const old = this.pc;
    this.pc = this.connect();
    if (makeBeforeBreak) {
      this.handover = new ConnectionHandover(old, this.received, this.pc,
        (participantId, source) => (this.roomTracks.get(participantId) ?? []).some((t) => t.source === source),
        () => this.announce());
    } else {
      this.handover = null;
      old.close();
    }
    this.published.clear();
    this.streams.clear();
    this.subscriptions = new Map();
    this.offering = false;
    this.again = false;
    for (const { track, source, stream } of sent) {
      if (track) {
        this.send(track, source, stream);
      }
    }
    this.publishedChanged = true;
    this.listener.connection(this.pc.connectionState);
    this.announce();
    this.negotiate();
  }

  /** Stops sending on `transceiver` for good (a screen share that ended). */
  unpublish(transceiver: RTCRtpTransceiver): void {
    if (this.published.delete(transceiver)) {
      this.streams.delete(transceiver);
      transceiver.stop();
      this.publishedChanged = true;
      this.negotiate();
    }
  }

  /** The room's tracks of `participantId` changed (`media-tracks`, or the roster). */
  setTracks(participantId: string, tracks: readonly MediaTrack[]): void {
    if (participantId === this.self) {
      return;
    }
    this.roomTracks.set(participantId, tracks);
    this.negotiate();
  }

  /** `participantId` left: its tracks are gone. */
  forget(participantId: string): void {
    if (this.roomTracks.delete(participantId)) {
      this.negotiate();
    }
  }

  /**
   * The transport failed (the network changed or dropped for longer than consent allows, RFC 7675):
   * an ICE restart (RFC 8445 §9) with a new offer; the relay answers it with a new session for this
   * participant, and the slots are assigned again.
   */
  private restart(): void {
    if (this.closed) {
      return;
    }
    this.pc.restartIce();
    this.publishedChanged = true;
    this.negotiate();
  }

  close(): void {
    this.closed = true;
    this.layout.close();
    if (typeof document !== 'undefined') {
      document.removeEventListener('visibilitychange', this.visibility);
    }
    if (this.retry) {
      clearTimeout(this.retry);
    }
    this.handover?.stop();
    this.pc.close();
  }

  /** Offers if anything changed, one offer at a time; a change during an offer offers again after. */
  negotiate(): void {
    if (this.closed) {
      return;
    }
    if (this.offering) {
      this.again = true;
      return;
    }
    if (!this.publishedChanged && !this.slotsDiffer()) {
      return;
    }
    this.offering = true;
    const generation = this.generation;
    void this.offer(generation)
      .catch((error: unknown) => {
        if (generation !== this.generation) {
          return; // for the connection a media restart replaced
        }
        if (!this.closed && !(error instanceof ProtocolError && error.code === 'invalid-sdp')) {
          this.retry = setTimeout(() => this.negotiate(), RETRY_MS);
        }
        console.warn('media negotiation failed', error);
      })
      .finally(() => {
        if (generation !== this.generation) {
          return; // the restart's own negotiation holds the turn now
        }
        this.offering = false;
        if (this.again) {
          this.again = false;
          this.negotiate();
        }
      });
  }

  private async offer(generation: number): Promise<void> {
    this.ensureSlots();
    const pc = this.pc;
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    if (generation !== this.generation) {
      return;
    }
    const sources: Record<string, TrackSource> = {};
    for (const [transceiver, source] of this.published) {
      if (transceiver.mid !== null) {
        sources[transceiver.mid] = source;
      }
    }
    const changed = this.publishedChanged;
    this.publishedChanged = false;
    this.offers++;
    let answer: MediaAnswer;
    try {
      const offer = { type: 'media-offer', sdp: pc.localDescription!.sdp, sources };
      const reply = await this.socket.request(this.region ? { ...offer, region: this.region } : offer);
      answer = reply as unknown as MediaAnswer;
    } catch (error) {
      if (generation !== this.generation) {
        throw error; // dropped by negotiate: the connection is gone
      }
      this.publishedChanged ||= changed;
      await pc.setLocalDescription({ type: 'rollback' });
      throw error;
    }
    if (generation !== this.generation) {
      return; // an answer for the connection a media restart replaced
    }
    await pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
    this.subscriptions = new Map(answer.subscriptions.map((subscription) => [subscription.mid, subscription]));
    this.announce();
    this.layout.resend();
    if (this.slotsDiffer()) {
      this.again = true; // a track appeared meanwhile: its slot comes with the next offer
    }
  }

  /** Adds `recvonly` transceivers until each kind has a free slot for each track without one. */
  private ensureSlots(): void {
    const subscribed = this.subscribedKeys();
    const tracks = this.othersTracks();
    for (const kind of ['audio', 'video'] as const) {
      const unslotted = [...tracks.entries()].filter(([key, track]) => track.kind === kind && !subscribed.has(key)).length;
      const free = this.receiving(kind).filter((t) => t.mid === null || !this.subscriptions.has(t.mid)).length;
      for (let i = free; i < unslotted; i++) {
        const transceiver = this.pc.addTransceiver(kind, { direction: 'recvonly' });
        if (kind === 'video') {
          preferVp8(transceiver);
        }
        this.protection.protectReceiver(transceiver.receiver, kind);
      }
    }
  }

  private receiving(kind: TrackKind): RTCRtpTransceiver[] {
    return this.pc.getTransceivers()
      .filter((t) => !this.published.has(t) && t.currentDirection !== 'stopped' && t.receiver.track.kind === kind);
  }

  private slotsDiffer(): boolean {
    const tracks = this.othersTracks();
    const subscribed = this.subscribedKeys();
    return tracks.size !== subscribed.size || [...tracks.keys()].some((key) => !subscribed.has(key));
  }

  private othersTracks(): Map<string, MediaTrack & { participantId: string }> {
    const tracks = new Map<string, MediaTrack & { participantId: string }>();
    for (const [participantId, list] of this.roomTracks) {
      for (const track of list) {
        tracks.set(`${participantId}/${track.trackId}`, { participantId, ...track });
      }
    }
    return tracks;
  }

  private subscribedKeys(): Set<string> {
    return new Set([...this.subscriptions.values()].map((s) => `${s.participantId}/${s.trackId}`));
  }

  private announce(): void {
    const remote: RemoteTrack[] = [];
    for (const transceiver of this.pc.getTransceivers()) {
      const subscription = transceiver.mid === null ? undefined : this.subscriptions.get(transceiver.mid);
      if (subscription && !this.published.has(transceiver)) {
        remote.push({ ...subscription, track: transceiver.receiver.track });
      }
    }
    this.received = remote;
    if (this.handover && !this.handover.active) {
      this.handover = null;
    }
    this.listener.remoteTracks(this.handover ? this.handover.shown(remote) : remote);
  }
}

/** VP8 first: every browser decodes it, and the frame encryption knows its payload header. */
function preferVp8(transceiver: RTCRtpTransceiver): void {
  const codecs = RTCRtpReceiver.getCapabilities('video')?.codecs ?? [];
  const vp8 = codecs.filter((codec) => codec.mimeType === 'video/VP8' || codec.mimeType === 'video/rtx');
  if (vp8.length > 0) {
    transceiver.setCodecPreferences(vp8);
  }
}
