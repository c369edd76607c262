import { computed, signal } from '@preact/signals';
import type { SocketStatus } from '../signaling/call-socket';
import type { LobbyEntry, Participant, RoomSettings } from '../signaling/protocol';
import type { GroupState } from './end-to-end';
import type { RemoteTrack } from './media-session';

export type Phase = 'idle' | 'joining' | 'lobby' | 'in-call' | 'left' | 'ended' | 'removed' | 'denied' | 'failed';

export interface ChatMessage {
  readonly seq: number;
  readonly from: string;
  readonly text: string;
  readonly at: Date;
}

/** One tile of the grid: a participant and what of theirs this page receives. */
export interface Tile {
  readonly participant: Participant;
  readonly self: boolean;
  readonly camera: MediaStreamTrack | null;
  readonly screen: MediaStreamTrack | null;
  readonly audio: MediaStreamTrack | null;
  readonly speaking: boolean;
  /** The participant's microphone is on, as far as this page knows (null: not told yet). */
  readonly microphoneOn: boolean | null;
}

/**
 * Everything the call's screens show, as signals: the call controller writes them from room
 * events, media answers and the MLS group; the components read them and re-render on change.
 */
export class CallState {
  readonly phase = signal<Phase>('idle');
  readonly error = signal<string | null>(null);
  readonly room = signal<RoomSettings | null>(null);
  readonly selfId = signal<string | null>(null);
  readonly participants = signal<ReadonlyMap<string, Participant>>(new Map());
  readonly remote = signal<readonly RemoteTrack[]>([]);
  readonly lobby = signal<readonly LobbyEntry[]>([]);
  readonly dominantSpeaker = signal<string | null>(null);
  readonly chat = signal<readonly ChatMessage[]>([]);
  readonly unreadChat = signal(0);
  readonly socket = signal<SocketStatus>('connecting');
  readonly transport = signal<RTCPeerConnectionState>('new');
  readonly group = signal<GroupState | null>(null);
  readonly microphoneOn = signal(true);
  readonly cameraOn = signal(true);
  readonly sharingScreen = signal(false);
  readonly localCamera = signal<MediaStreamTrack | null>(null);
  readonly muteRequest = signal<'audio' | 'video' | null>(null);
  /** Other members' microphone and camera, as they told the call (end to end). */
  readonly mediaStates = signal<ReadonlyMap<string, { microphone: boolean; camera: boolean }>>(new Map());

  readonly you = computed(() => {
    const id = this.selfId.value;
    return id === null ? null : this.participants.value.get(id) ?? null;
  });

  readonly isHost = computed(() => this.you.value?.role === 'host');

  /** Set by `media-restart` until the new connection to the call's new relay connects. */
  readonly mediaRestarting = signal(false);

  /**
   * The reconnect banner shows while either the signaling socket or the media transport is down,
   * or the media moves to another relay.
   */
  readonly reconnecting = computed(() => this.socket.value === 'reconnecting' || this.mediaRestarting.value
    || this.transport.value === 'disconnected' || this.transport.value === 'failed');

  readonly tiles = computed<readonly Tile[]>(() => {
    const tracks = new Map<string, RemoteTrack[]>();
    for (const track of this.remote.value) {
      tracks.set(track.participantId, [...(tracks.get(track.participantId) ?? []), track]);
    }
    const speaker = this.dominantSpeaker.value;
    return [...this.participants.value.values()].map((participant) => {
      const self = participant.participantId === this.selfId.value;
      const theirs = tracks.get(participant.participantId) ?? [];
      const find = (source: string) => theirs.find((t) => t.source === source)?.track ?? null;
      return {
        participant,
        self,
        camera: self ? (this.cameraOn.value ? this.localCamera.value : null) : find('camera'),
        screen: self ? null : find('screen'),
        audio: self ? null : find('microphone'),
        speaking: speaker === participant.participantId,
        microphoneOn: self ? this.microphoneOn.value
          : this.mediaStates.value.get(participant.participantId)?.microphone ?? null,
      };
    });
  });

  update(participant: Participant): void {
    const next = new Map(this.participants.value);
    next.set(participant.participantId, participant);
    this.participants.value = next;
  }

  remove(participantId: string): void {
    const next = new Map(this.participants.value);
    next.delete(participantId);
    this.participants.value = next;
  }
}
