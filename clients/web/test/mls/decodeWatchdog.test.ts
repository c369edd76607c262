import { describe, expect, it } from 'vitest';
import { DecodeWatchdog, FAILING_CHECKS_BEFORE_REJOIN, type Standing, STAGGER_CHECKS_PER_RANK, standingOf,
  UNJOINED_CHECKS_BEFORE_REJOIN } from '../../src/e2ee';
import type { EpochInfo } from '../../src/mls/callGroup';
import type { TransformCounters } from '../../src/sframe/frame-crypto';

/** A page of the call as its watchdog sees it: its decrypt counters, its place in the group, its rejoins. */
class Page {
  readonly counters: TransformCounters = { id: 'r1', role: 'decrypt', kind: 'video', encrypted: 0, decrypted: 0, dropped: {} };
  inGroup = true;
  rejoins = 0;
  readonly watchdog: DecodeWatchdog;

  constructor(readonly name: string, private standing: Standing, call: Call) {
    let clock = 0;
    this.watchdog = new DecodeWatchdog({
      counters: async () => [structuredClone(this.counters)],
      standing: () => (this.inGroup ? this.standing : undefined),
      rejoin: async () => {
        this.rejoins++;
        call.rejoin(this);
      },
      now: () => (clock += 1000),
    });
  }
}

/**
 * Frames flow every second. While the keys disagree every frame fails; a page that rejoins is back
 * (and everybody's keys agree) a second later if a page is still in the group to commit its
 * rejoin, and never if nobody is.
 */
class Call {
  readonly pages: Page[] = [];
  keysAgree = false;
  private pendingRejoin?: Page;

  add(name: string, standing: Standing): Page {
    const page = new Page(name, standing, this);
    this.pages.push(page);
    return page;
  }

  rejoin(page: Page): void {
    page.inGroup = false;
    this.keysAgree = false;
    this.pendingRejoin = page;
  }

  async tick(): Promise<void> {
    if (this.pendingRejoin && this.pages.some((p) => p.inGroup)) {
      this.pendingRejoin.inGroup = true;
      this.pendingRejoin = undefined;
      this.keysAgree = true;
    }
    for (const page of this.pages) {
      if (this.keysAgree) page.counters.decrypted += 30;
      else page.counters.dropped['authentication-failed'] = (page.counters.dropped['authentication-failed'] ?? 0) + 30;
    }
    for (const page of this.pages) await page.watchdog.check();
  }
}

describe('DecodeWatchdog', () => {
  it('waits longer the lower its leaf, so the lowest member stays in the group to commit the others back', () => {
    expect(DecodeWatchdog.checksBeforeRejoin({ rank: 1, members: 2 })).toBe(FAILING_CHECKS_BEFORE_REJOIN);
    expect(DecodeWatchdog.checksBeforeRejoin({ rank: 0, members: 2 })).toBe(FAILING_CHECKS_BEFORE_REJOIN + STAGGER_CHECKS_PER_RANK);
    expect(DecodeWatchdog.checksBeforeRejoin({ rank: 0, members: 3 })).toBe(FAILING_CHECKS_BEFORE_REJOIN + 2 * STAGGER_CHECKS_PER_RANK);
    expect(DecodeWatchdog.checksBeforeRejoin(undefined)).toBe(UNJOINED_CHECKS_BEFORE_REJOIN);
  });

  it('in a two-person call whose keys diverged, only one page rejoins and the other commits it back', async () => {
    // Each page sees the other's frames fail; if both rejoined at once nobody would be left to commit.
    for (const [failing, healthy] of [['bob', 'alice'], ['alice', 'bob']]) {
      const call = new Call();
      const alice = call.add('alice', { rank: 0, members: 2 });
      const bob = call.add('bob', { rank: 1, members: 2 });
      for (let second = 0; second < 30; second++) await call.tick();
      expect(call.keysAgree, `${failing} diverged, ${healthy} did not`).toBe(true);
      expect(bob.rejoins).toBe(1);
      expect(alice.rejoins).toBe(0);
    }
  });

  it('a page alone in failing rejoins after the checks its place asks for, once per back-off', async () => {
    let rejoins = 0;
    let decrypted = 0;
    let dropped = 0;
    let clock = 0;
    const watchdog = new DecodeWatchdog({
      counters: async () => [{ id: 'r', role: 'decrypt', kind: 'audio', encrypted: 0, decrypted, dropped: { 'unknown-epoch': dropped } }],
      standing: () => ({ rank: 1, members: 3 }),
      rejoin: async () => {
        rejoins++;
      },
      now: () => clock,
    });
    const wait = DecodeWatchdog.checksBeforeRejoin({ rank: 1, members: 3 });
    for (let i = 0; i < wait; i++) {
      expect(rejoins).toBe(0);
      dropped += 10;
      clock += 1000;
      await watchdog.check();
    }
    expect(rejoins).toBe(1);
    for (let i = 0; i < wait; i++) { // still failing, but within the back-off (wait < 10 s)
      dropped += 10;
      clock += 1000;
      await watchdog.check();
    }
    expect(rejoins).toBe(1);
    decrypted += 1; // a frame decrypts: not stuck, the count starts over
    dropped += 10;
    clock += 10_000; // past the back-off
    await watchdog.check();
    for (let i = 1; i < wait; i++) {
      dropped += 10;
      clock += 1000;
      await watchdog.check();
    }
    expect(rejoins).toBe(1);
    dropped += 10;
    clock += 1000;
    await watchdog.check();
    expect(rejoins).toBe(2);
  });

  it('does not stack a rejoin on one under way (not in the group) until it is long stuck', async () => {
    let rejoins = 0;
    let dropped = 0;
    let clock = 0;
    const watchdog = new DecodeWatchdog({
      counters: async () => [{ id: 'r', role: 'decrypt', kind: 'video', encrypted: 0, decrypted: 0, dropped: { 'authentication-failed': dropped } }],
      standing: () => undefined,
      rejoin: async () => {
        rejoins++;
      },
      now: () => (clock += 1000),
    });
    for (let i = 1; i < UNJOINED_CHECKS_BEFORE_REJOIN; i++) {
      dropped += 5;
      await watchdog.check();
    }
    expect(rejoins).toBe(0);
    dropped += 5;
    await watchdog.check();
    expect(rejoins).toBe(1);
  });
});

describe('standingOf', () => {
  it('ranks this device among the leaves, lowest first', () => {
    const info = (own: number, leaves: number[]) => ({
      ownLeafIndex: own,
      members: leaves.map((leafIndex) => ({ leafIndex })),
    }) as unknown as EpochInfo;
    expect(standingOf(info(0, [2, 0]))).toEqual({ rank: 0, members: 2 });
    expect(standingOf(info(3, [0, 3, 1]))).toEqual({ rank: 2, members: 3 });
    expect(standingOf(undefined)).toBeUndefined();
  });
});
