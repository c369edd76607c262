import { describe, expect, it } from 'vitest';
import type { Participant } from '../../src/signaling/protocol';
import { avatarHue, describeRosterEvent, initials, rosterChanges, sortParticipants } from '../../src/ui/people';

function person(id: string, name: string, extra: Partial<Participant> = {}): Participant {
  return { participantId: id, userId: `u-${id}`, displayName: name, verified: true, role: 'participant',
    handRaised: false, joinedAt: '2026-11-26T10:00:00Z', ...extra };
}

const roster = (...list: Participant[]) => new Map(list.map((p) => [p.participantId, p]));

describe('people', () => {
  it('makes initials for avatars', () => {
    expect(initials('Ada Lovelace')).toBe('AL');
    expect(initials('grace')).toBe('G');
    expect(initials('  Jean  Luc  Picard ')).toBe('JP');
    expect(initials('')).toBe('?');
    expect(initials('émile zola')).toBe('ÉZ');
  });

  it('gives each user a stable hue', () => {
    expect(avatarHue('alice')).toBe(avatarHue('alice'));
    expect(avatarHue('alice')).toBeGreaterThanOrEqual(0);
    expect(avatarHue('alice')).toBeLessThan(360);
  });

  it('tells joins, leaves, raised hands and new hosts, but not your own join', () => {
    const alice = person('a', 'Alice');
    const bob = person('b', 'Bob');
    const guest = person('g', 'Grace', { verified: false, role: 'guest' });
    const events = rosterChanges(roster(alice, bob), roster(alice, { ...bob, handRaised: true, role: 'host' }, guest), 'a');
    expect(events.map((e) => describeRosterEvent(e, 'a'))).toEqual(['Bob raised their hand', 'Bob is now a host', 'Grace joined']);
    expect(rosterChanges(roster(alice, bob), roster(alice), 'a').map((e) => describeRosterEvent(e, 'a'))).toEqual(['Bob left']);
    expect(rosterChanges(roster(), roster(alice), 'a')).toEqual([]);
    expect(describeRosterEvent({ kind: 'role', participant: alice }, 'a')).toBe('You are now a host');
  });

  it('lists you first, then hosts, raised hands, and the rest by name', () => {
    const list = [person('z', 'Zoe'), person('h', 'Hank', { role: 'host' }), person('y', 'Yann', { handRaised: true }),
      person('me', 'Me'), person('b', 'Bea')];
    expect(sortParticipants(list, 'me').map((p) => p.displayName)).toEqual(['Me', 'Hank', 'Yann', 'Bea', 'Zoe']);
  });
});
