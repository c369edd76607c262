import { describe, expect, it } from 'vitest';
import { REPLAY_WINDOW, ReplayWindow } from '../../src/sframe/replay-window';

describe('ReplayWindow (RFC 9605 §7.4)', () => {
  it('accepts each CTR once, in any order within the window', () => {
    const window = new ReplayWindow();
    for (const ctr of [5n, 3n, 9n, 4n, 0n]) {
      expect(window.accept(ctr)).toBe(true);
    }
    for (const ctr of [5n, 3n, 9n, 4n, 0n]) {
      expect(window.isFresh(ctr)).toBe(false);
      expect(window.accept(ctr)).toBe(false);
    }
    expect(window.isFresh(6n)).toBe(true);
  });

  it('refuses CTRs that fell out of the window, and forgets slots it moved past', () => {
    const window = new ReplayWindow();
    expect(window.accept(1n)).toBe(true);
    const top = BigInt(REPLAY_WINDOW) + 10n;
    expect(window.accept(top)).toBe(true);
    expect(window.isFresh(10n)).toBe(false);
    expect(window.isFresh(11n)).toBe(true);
    // Slot 1 was reused by CTR REPLAY_WINDOW + 1, which was never accepted.
    expect(window.accept(BigInt(REPLAY_WINDOW) + 1n)).toBe(true);
    expect(window.accept(top + BigInt(REPLAY_WINDOW) * 3n)).toBe(true);
    expect(window.isFresh(top)).toBe(false);
  });
});
