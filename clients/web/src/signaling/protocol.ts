/**
 * The call protocol's messages as the app reads them (docs/protocol.md). Only the fields the app
 * uses are typed; unknown fields are ignored, as the protocol asks of clients.
 */

export type Role = 'host' | 'participant' | 'guest';
export type TrackKind = 'audio' | 'video';
export type TrackSource = 'microphone' | 'camera' | 'screen';

export interface MediaTrack {
  readonly trackId: string;
  readonly kind: TrackKind;
  readonly source: TrackSource;
}

export interface Participant {
  readonly participantId: string;
  readonly userId: string;
  readonly displayName: string;
  readonly verified: boolean;
  readonly role: Role;
  readonly handRaised: boolean;
  readonly joinedAt: string;
  readonly tracks?: readonly MediaTrack[];
}

export interface RoomSettings {
  readonly id: string;
  readonly name: string;
  readonly lobby: boolean;
  readonly ssoOnly: boolean;
  readonly maxParticipants: number;
  readonly locked: boolean;
}

export interface LobbyEntry {
  readonly userId: string;
  readonly displayName: string;
  readonly since: string;
}

export interface Joined {
  readonly type: 'joined' | 'resumed';
  readonly seq: number;
  readonly room: RoomSettings;
  readonly you: Participant;
  readonly resumeToken: string;
  readonly roster: readonly Participant[];
  readonly lobby?: readonly LobbyEntry[];
}

export interface Subscription {
  readonly mid: string;
  readonly participantId: string;
  readonly trackId: string;
  readonly kind: TrackKind;
  readonly source: TrackSource;
}

export interface MediaAnswer {
  readonly type: 'media-answer';
  readonly sdp: string;
  readonly subscriptions: readonly Subscription[];
}

/** A room event: everyone in the call receives these in one order (`seq`). */
export type RoomEvent =
  | { readonly type: 'participant-joined'; readonly seq: number; readonly participant: Participant }
  | { readonly type: 'participant-left'; readonly seq: number; readonly participantId: string; readonly reason: string }
  | { readonly type: 'payload'; readonly seq: number; readonly from: string; readonly kind: string; readonly data: string }
  | { readonly type: 'hand-changed'; readonly seq: number; readonly participantId: string; readonly raised: boolean }
  | { readonly type: 'role-changed'; readonly seq: number; readonly participantId: string; readonly role: Role }
  | { readonly type: 'room-locked'; readonly seq: number; readonly locked: boolean }
  | { readonly type: 'mute-requested'; readonly seq: number; readonly participantId: string; readonly media: TrackKind }
  | { readonly type: 'lobby-entered'; readonly seq: number; readonly userId: string; readonly displayName: string }
  | { readonly type: 'lobby-left'; readonly seq: number; readonly userId: string; readonly outcome: string }
  | { readonly type: 'media-tracks'; readonly seq: number; readonly participantId: string; readonly tracks: readonly MediaTrack[] }
  | { readonly type: 'dominant-speaker'; readonly seq: number; readonly participantId: string }
  | { readonly type: 'media-restart'; readonly seq: number; readonly reason: 'relay-lost' | 'relay-draining' }
  | { readonly type: 'removed'; readonly seq: number }
  | { readonly type: 'room-ended'; readonly seq: number };

/** An `error` answer, thrown by requests. `code` is the protocol's error code. */
export class ProtocolError extends Error {
  constructor(readonly code: string, message: string, readonly request: string) {
    super(`${request}: ${code}: ${message}`);
    this.name = 'ProtocolError';
  }
}
