import type { Identity } from '../auth/session';

/**
 * What the app keeps in the browser: a guest's token for the tab (sessionStorage: so a reload or
 * "Rejoin" keeps the same guest, and closing the tab forgets it), invite links hosts created, and
 * device choices (localStorage: they are not secret).
 */

interface StoredGuest {
  readonly roomId: string;
  readonly displayName: string;
  readonly token: string;
}

const GUEST_KEY = 'parley.guest';
const INVITE_KEY = 'parley.invite.';
const DEVICE_KEY = 'parley.devices';
const NAME_KEY = 'parley.guestName';

function read<T>(store: Storage, key: string): T | null {
  try {
    const text = store.getItem(key);
    return text === null ? null : (JSON.parse(text) as T);
  } catch {
    return null;
  }
}

function write(store: Storage, key: string, value: unknown): void {
  try {
    store.setItem(key, JSON.stringify(value));
  } catch {
    // private mode or full: nothing to keep then
  }
}

export async function keepGuest(roomId: string, identity: Identity): Promise<void> {
  write(sessionStorage, GUEST_KEY, { roomId, displayName: identity.displayName, token: await identity.token() });
  write(localStorage, NAME_KEY, identity.displayName);
}

/** The guest identity this tab holds for {@code roomId}, if any. */
export function guestFor(roomId: string): Identity | null {
  const guest = read<StoredGuest>(sessionStorage, GUEST_KEY);
  if (!guest || guest.roomId !== roomId) {
    return null;
  }
  return { kind: 'guest', displayName: guest.displayName, token: async () => guest.token };
}

export function forgetGuest(): void {
  sessionStorage.removeItem(GUEST_KEY);
}

/** The name a guest typed last time, to offer it again. */
export function lastGuestName(): string {
  return read<string>(localStorage, NAME_KEY) ?? '';
}

export function keepInvite(roomId: string, url: string): void {
  write(sessionStorage, INVITE_KEY + roomId, url);
}

export function inviteFor(roomId: string): string | null {
  return read<string>(sessionStorage, INVITE_KEY + roomId);
}

export interface DevicePreferences {
  readonly microphoneId?: string;
  readonly cameraId?: string;
  readonly microphoneOn: boolean;
  readonly cameraOn: boolean;
}

export function devicePreferences(): DevicePreferences {
  return read<DevicePreferences>(localStorage, DEVICE_KEY) ?? { microphoneOn: true, cameraOn: true };
}

export function keepDevicePreferences(preferences: DevicePreferences): void {
  write(localStorage, DEVICE_KEY, preferences);
}
