import type { Participant } from '../signaling/protocol';

/** "Ada Lovelace" → "AL", "grace" → "G", "  " → "?" (what an avatar shows when the camera is off). */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter((w) => w.length > 0);
  if (words.length === 0) {
    return '?';
  }
  const first = [...words[0]][0] ?? '';
  const last = words.length > 1 ? [...words[words.length - 1]][0] ?? '' : '';
  return (first + last).toUpperCase();
}

/** A stable hue (0–359) for a participant's avatar, from their user id. */
export function avatarHue(key: string): number {
  let hash = 2166136261;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return (hash >>> 0) % 360;
}

export type RosterEvent =
  | { readonly kind: 'joined'; readonly participant: Participant }
  | { readonly kind: 'left'; readonly participant: Participant }
  | { readonly kind: 'hand'; readonly participant: Participant }
  | { readonly kind: 'role'; readonly participant: Participant };

/**
 * What changed between two rosters, for toasts and the screen reader: joins, leaves, raised hands
 * and new hosts. {@code self} is left out of joins and leaves (you know you joined).
 */
export function rosterChanges(before: ReadonlyMap<string, Participant>, after: ReadonlyMap<string, Participant>,
  self: string | null): RosterEvent[] {
  const events: RosterEvent[] = [];
  for (const [id, participant] of after) {
    const old = before.get(id);
    if (!old) {
      if (id !== self) {
        events.push({ kind: 'joined', participant });
      }
      continue;
    }
    if (participant.handRaised && !old.handRaised) {
      events.push({ kind: 'hand', participant });
    }
    if (participant.role === 'host' && old.role !== 'host') {
      events.push({ kind: 'role', participant });
    }
  }
  for (const [id, participant] of before) {
    if (!after.has(id) && id !== self) {
      events.push({ kind: 'left', participant });
    }
  }
  return events;
}

/** The toast's words for a roster event. */
export function describeRosterEvent(event: RosterEvent, self: string | null): string {
  const you = event.participant.participantId === self;
  const name = event.participant.displayName;
  switch (event.kind) {
    case 'joined': return `${name} joined`;
    case 'left': return `${name} left`;
    case 'hand': return you ? 'You raised your hand' : `${name} raised their hand`;
    case 'role': return you ? 'You are now a host' : `${name} is now a host`;
  }
}

/** The order of the participant list: you first, then hosts, raised hands, then by name. */
export function sortParticipants(list: readonly Participant[], self: string | null): Participant[] {
  const rank = (p: Participant) => (p.participantId === self ? 0 : p.role === 'host' ? 1 : p.handRaised ? 2 : 3);
  return [...list].sort((a, b) => rank(a) - rank(b) || a.displayName.localeCompare(b.displayName));
}

/** "1 person", "3 people". */
export function peopleCount(n: number): string {
  return n === 1 ? '1 person' : `${n} people`;
}
