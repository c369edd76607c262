import type { Identity } from '../auth/session';
import { CallSocket } from '../signaling/call-socket';
import { ProtocolError, type Joined, type RoomEvent } from '../signaling/protocol';
import { CallState } from './call-state';
import type { CallMessage, EndToEnd } from './end-to-end';
import type { LocalMedia } from './local-media';
import { MediaSession } from './media-session';

/** Close codes that end the call for this page (docs/protocol.md, "Close codes"). */
const ENDINGS: Record<number, CallState['phase']['value']> = {
  4003: 'removed', 4004: 'denied', 4005: 'ended', 4006: 'left',
};

/**
 * One participant's call: signaling's socket, the media session to the relay and the MLS group,
 * kept consistent with the room's events and written into {@link CallState} for the screens.
 * Every action the UI offers is a method here.
 */
export class Call {
  readonly state = new CallState();
  private socket: CallSocket | null = null;
  private media: MediaSession | null = null;
  private screen: RTCRtpTransceiver | null = null;
  private camera: RTCRtpTransceiver | null = null;
  private roomId = '';

  constructor(
    private readonly identity: Identity,
    private readonly local: LocalMedia,
    private readonly e2ee: EndToEnd,
    /** The deployment's media region (client-config `mediaRegion`), stated in media offers. */
    private readonly mediaRegion: string | null = null,
  ) {
    e2ee.onChange((group) => {
      this.state.group.value = group;
      // A new epoch may have new members: tell everyone (again) what this page sends.
      void this.announceMediaState();
    });
  }

  /** Connects and joins {@code roomId}; waits in the lobby if the room has one. */
  async join(roomId: string): Promise<void> {
    this.roomId = roomId;
    this.state.phase.value = 'joining';
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/v1`;
    this.socket = new CallSocket(url, () => this.identity.token(), {
      event: (event) => this.onEvent(event),
      resumed: (view) => this.enter(view, false),
      resumeFailed: () => void this.rejoin(),
      lobbyDecision: (admitted) => (admitted ? void this.enterFromLobby() : (this.state.phase.value = 'denied')),
      status: (status) => (this.state.socket.value = status),
      closed: (code) => this.end(ENDINGS[code] ?? 'failed'),
    });
    try {
      await this.socket.open();
      await this.enterOrWait();
    } catch (error) {
      this.fail(error);
    }
  }

  private async enterOrWait(): Promise<void> {
    const joined = await this.socket!.join(this.roomId);
    if (joined === null) {
      this.state.phase.value = 'lobby';
      return;
    }
    await this.enter(joined, true);
  }

  private async enterFromLobby(): Promise<void> {
    try {
      await this.enterOrWait();
    } catch (error) {
      this.fail(error);
    }
  }

  /** The place in the call is gone (grace period over): join again, with a new media session. */
  private async rejoin(): Promise<void> {
    this.media?.close();
    this.media = null;
    this.camera = null;
    this.screen = null;
    try {
      await this.enterOrWait();
    } catch (error) {
      this.fail(error);
    }
  }

  private async enter(view: Joined, fresh: boolean): Promise<void> {
    const state = this.state;
    state.room.value = view.room;
    state.selfId.value = view.you.participantId;
    state.participants.value = new Map(view.roster.map((participant) => [participant.participantId, participant]));
    state.lobby.value = view.lobby ?? [];
    state.phase.value = 'in-call';
    if (fresh || this.media === null) {
      this.startMedia(view.you.participantId);
    }
    for (const participant of view.roster) {
      this.media!.setTracks(participant.participantId, participant.tracks ?? []);
    }
    if (fresh) {
      await this.e2ee.join(this.roomId, view.you.participantId);
    }
  }

  private startMedia(self: string): void {
    this.media?.close();
    this.media = new MediaSession(this.socket!, self, this.e2ee.protection, {
      remoteTracks: (tracks) => (this.state.remote.value = tracks),
      connection: (connection) => {
        this.state.transport.value = connection;
        if (connection === 'connected') {
          this.state.mediaRestarting.value = false;
        }
      },
    }, this.mediaRegion);
    const microphone = this.local.microphoneTrack;
    if (microphone) {
      this.media.publish(microphone, 'microphone', this.local.stream);
    }
    const camera = this.local.cameraTrack;
    if (camera) {
      this.camera = this.media.publish(camera, 'camera', this.local.stream);
    }
    this.state.localCamera.value = camera;
    this.state.microphoneOn.value = microphone?.enabled ?? false;
    this.state.cameraOn.value = camera !== null;
  }

  private onEvent(event: RoomEvent): void {
    const state = this.state;
    switch (event.type) {
      case 'participant-joined':
        state.update(event.participant);
        this.media?.setTracks(event.participant.participantId, event.participant.tracks ?? []);
        break;
      case 'participant-left':
        state.remove(event.participantId);
        this.media?.forget(event.participantId);
        break;
      case 'media-tracks': {
        const participant = state.participants.value.get(event.participantId);
        if (participant) {
          state.update({ ...participant, tracks: event.tracks });
        }
        this.media?.setTracks(event.participantId, event.tracks);
        break;
      }
      case 'hand-changed':
      case 'role-changed': {
        const participant = state.participants.value.get(event.participantId);
        if (participant) {
          state.update(event.type === 'hand-changed' ? { ...participant, handRaised: event.raised }
            : { ...participant, role: event.role });
        }
        break;
      }
      case 'room-locked':
        if (state.room.value) {
          state.room.value = { ...state.room.value, locked: event.locked };
        }
        break;
      case 'dominant-speaker':
        state.dominantSpeaker.value = event.participantId;
        break;
      case 'media-restart':
        this.restartMedia(event.reason);
        break;
      case 'mute-requested':
        state.muteRequest.value = event.media;
        break;
      case 'lobby-entered':
        state.lobby.value = [...state.lobby.value.filter((e) => e.userId !== event.userId),
          { userId: event.userId, displayName: event.displayName, since: new Date().toISOString() }];
        break;
      case 'lobby-left':
        state.lobby.value = state.lobby.value.filter((entry) => entry.userId !== event.userId);
        break;
      case 'payload':
        if (event.kind === 'mls-application') {
          void this.receiveChat(event.seq, event.from, event.data);
        }
        break;
      case 'room-ended':
        this.end('ended');
        break;
      case 'removed':
        this.end('removed');
        break;
    }
  }

  /**
   * The call's media moved to another relay (`media-restart`): a new connection with the same
   * tracks, the reconnect banner until it connects. The call, the MLS group and the socket stay.
   * Only a draining relay still carries media: the old connection plays on until the new one
   * does; a lost relay's connection closes at once.
   */
  private restartMedia(reason: 'relay-lost' | 'relay-draining'): void {
    if (!this.media) {
      return;
    }
    this.state.mediaRestarting.value = true;
    this.media.restartMedia(reason === 'relay-draining');
    this.camera = this.media.sending('camera');
    this.screen = this.media.sending('screen');
  }

  private async receiveChat(seq: number, from: string, data: string): Promise<void> {
    if (from === this.state.selfId.value) {
      return; // an MLS sender cannot open its own message: sendChat showed it already
    }
    const message = await this.e2ee.open(Uint8Array.from(atob(data), (c) => c.charCodeAt(0)));
    if (message === null) {
      return; // not for this epoch, tampered, or unknown: never shown
    }
    if (message.kind === 'media-state') {
      const next = new Map(this.state.mediaStates.value);
      next.set(from, { microphone: message.microphone, camera: message.camera });
      this.state.mediaStates.value = next;
      return;
    }
    this.state.chat.value = [...this.state.chat.value, { seq, from, text: message.text, at: new Date() }];
    this.state.unreadChat.value++;
  }

  /** Tells the call, end to end, whether this page's microphone and camera are on. */
  private async announceMediaState(): Promise<void> {
    if (this.state.phase.value !== 'in-call' || this.state.group.value === null) {
      return;
    }
    try {
      await this.sendMessage({ kind: 'media-state', microphone: this.state.microphoneOn.value,
        camera: this.state.cameraOn.value });
    } catch (error) {
      console.warn('could not tell the call about the microphone and camera', error);
    }
  }

  private async sendMessage(message: CallMessage): Promise<Record<string, unknown>> {
    const sealed = await this.e2ee.seal(message);
    let binary = '';
    sealed.forEach((byte) => (binary += String.fromCharCode(byte)));
    return this.socket!.request({ type: 'send', kind: 'mls-application', data: btoa(binary) });
  }

  /** Sends {@code text} to everyone in the call as an MLS application message. */
  async sendChat(text: string): Promise<void> {
    const echo = await this.sendMessage({ kind: 'chat', text });
    const seq = typeof echo.seq === 'number' ? echo.seq : 0;
    this.state.chat.value = [...this.state.chat.value,
      { seq, from: this.state.selfId.value ?? '', text, at: new Date() }];
  }

  setMicrophone(on: boolean): void {
    this.local.setMicrophone(on);
    this.state.microphoneOn.value = on;
    if (on && this.state.muteRequest.value === 'audio') {
      this.state.muteRequest.value = null;
    }
    void this.announceMediaState();
  }

  async setCamera(on: boolean): Promise<void> {
    const track = await this.local.setCamera(on);
    if (this.camera) {
      await this.camera.sender.replaceTrack(track);
    } else if (track && this.media) {
      this.camera = this.media.publish(track, 'camera', this.local.stream);
    }
    this.state.localCamera.value = track;
    this.state.cameraOn.value = on;
    void this.announceMediaState();
  }

  /** Shares the screen as a separate track; the browser's own "stop sharing" ends it too. */
  async shareScreen(): Promise<void> {
    if (this.screen || !this.media) {
      return;
    }
    const display = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: 15 }, audio: false });
    const track = display.getVideoTracks()[0];
    track.addEventListener('ended', () => this.stopScreen());
    this.screen = this.media.publish(track, 'screen', display);
    this.state.sharingScreen.value = true;
  }

  stopScreen(): void {
    if (this.screen && this.media) {
      this.screen.sender.track?.stop();
      this.media.unpublish(this.screen);
    }
    this.screen = null;
    this.state.sharingScreen.value = false;
  }

  /** The UI renders another's video `track` at `size` (CSS pixels), or no longer (null). */
  rendered(track: MediaStreamTrack, size: { width: number; height: number } | null): void {
    this.media?.rendered(track, size);
  }

  raiseHand(raised: boolean): void {
    this.socket?.send({ type: raised ? 'raise-hand' : 'lower-hand' });
  }

  /** A host control (docs/protocol.md): mute, remove, lock, unlock, admit, deny, end-call, promote. */
  host(type: string, fields: Record<string, unknown> = {}): void {
    this.socket?.send({ type, ...fields });
  }

  async leave(): Promise<void> {
    try {
      await this.socket?.leave();
    } catch {
      // the socket is closed either way
    }
    this.end('left');
  }

  private end(phase: CallState['phase']['value']): void {
    this.stopScreen();
    this.media?.close();
    this.media = null;
    this.e2ee.close();
    this.local.close();
    this.socket?.close();
    this.state.phase.value = phase;
  }

  private fail(error: unknown): void {
    const message = error instanceof ProtocolError ? describe(error) : String((error as Error)?.message ?? error);
    this.state.error.value = message;
    this.end('failed');
  }

  /** Test hooks and diagnostics (Playwright reads them): the media session's peer connection. */
  get peerConnection(): RTCPeerConnection | null {
    return this.media?.pc ?? null;
  }

  /** Test hooks and diagnostics: frame counters, the MLS group, and forcing it out of sync. */
  get diagnostics(): EndToEnd['diagnostics'] {
    return this.e2ee.diagnostics;
  }
}

/** Words for a person, from the protocol's error codes. */
function describe(error: ProtocolError): string {
  switch (error.code) {
    case 'room-not-found': return 'This meeting does not exist.';
    case 'room-ended': return 'This meeting has ended.';
    case 'room-locked': return 'The host has locked this meeting.';
    case 'room-full': return 'This meeting is full.';
    case 'not-admitted': return 'You need an invite link to join this meeting.';
    case 'removed': return 'A host removed you from this meeting.';
    case 'wrong-room': return 'Your invite is for another meeting.';
    default: return `Something went wrong (${error.code}). Please try again.`;
  }
}
