import type { Identity } from '../auth/session';

/** A room as `POST /api/v1/rooms` and `GET /api/v1/rooms/{id}` answer it (docs/rest-api.md). */
export interface Room {
  readonly id: string;
  readonly settings: { readonly name: string; readonly lobby: boolean; readonly ssoOnly: boolean;
    readonly maxParticipants: number; readonly locked: boolean };
  readonly hosts: readonly string[];
  readonly endedAt: string | null;
}

/** An invite link as hosts see it (`POST /api/v1/rooms/{roomId}/invites`). */
export interface Invite {
  readonly code: string;
  /** The link to share. */
  readonly url: string;
  readonly roomId: string;
  readonly role: 'guest' | 'participant';
  readonly expiresAt: string;
}

/** An RFC 9457 problem from the REST API, with words a person can read. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly kind: string, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

async function call<T>(method: string, path: string, identity: Identity | null, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (identity) {
    headers.Authorization = `Bearer ${await identity.token()}`;
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'network', 'Parley cannot be reached. Check your connection and try again.');
  }
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const kind = String(answer.type ?? '').split('/').pop() ?? '';
    throw new ApiError(response.status, kind, problemText(response.status, kind, answer));
  }
  return answer as T;
}

function problemText(status: number, kind: string, answer: Record<string, unknown>): string {
  switch (kind) {
    case 'forbidden': return 'Your account may not create meetings. Ask your administrator for the room-creator role.';
    case 'rate-limited': return 'Too many requests just now. Wait a minute and try again.';
    case 'unauthenticated': return 'Your sign-in has expired. Sign in again.';
    default: {
      const detail = answer.detail ?? answer.title;
      return typeof detail === 'string' && detail !== '' ? detail : `Something went wrong (HTTP ${status}).`;
    }
  }
}

export interface NewRoom {
  readonly name: string;
  /** Guests wait until a host admits them. */
  readonly lobby: boolean;
}

export function createRoom(identity: Identity, room: NewRoom): Promise<Room> {
  return call<Room>('POST', '/api/v1/rooms', identity, { name: room.name, lobby: room.lobby });
}

export function getRoom(identity: Identity, roomId: string): Promise<Room> {
  return call<Room>('GET', `/api/v1/rooms/${encodeURIComponent(roomId)}`, identity);
}

/**
 * A new invite link. `guest`: anyone with the link may join (people without an account as
 * guests, through the lobby if the room has one; signed-in people as verified participants).
 * `participant`: only people who sign in.
 */
export function createInvite(identity: Identity, roomId: string, role: 'guest' | 'participant'): Promise<Invite> {
  return call<Invite>('POST', `/api/v1/rooms/${encodeURIComponent(roomId)}/invites`, identity, { role });
}
