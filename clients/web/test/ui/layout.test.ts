import { describe, expect, it } from 'vitest';
import { bestGrid, pickVisible, tileCapacity } from '../../src/ui/layout';

describe('bestGrid', () => {
  const shape = (n: number, w = 1280, h = 720) => {
    const g = bestGrid(n, w, h);
    return `${g.cols}x${g.rows}`;
  };

  it('lays out a landscape screen as 1, 2, 2×2, 3×2, 3×3, 4×4', () => {
    expect(shape(1)).toBe('1x1');
    expect(shape(2)).toBe('2x1');
    expect(shape(3)).toBe('2x2');
    expect(shape(4)).toBe('2x2');
    expect(shape(6)).toBe('3x2');
    expect(shape(9)).toBe('3x3');
    expect(shape(16)).toBe('4x4');
  });

  it('stacks tiles on a phone held upright', () => {
    expect(shape(2, 360, 560)).toBe('1x2');
    expect(shape(3, 360, 560)).toBe('1x3');
  });

  it('keeps tiles 16:9 and inside the box', () => {
    for (const n of [1, 2, 3, 5, 7, 10, 25, 49]) {
      for (const [w, h] of [[1280, 720], [360, 560], [800, 900], [1920, 960]]) {
        const g = bestGrid(n, w, h, 8);
        expect(g.cols * g.rows).toBeGreaterThanOrEqual(n);
        expect(g.cols * g.tileWidth + (g.cols - 1) * 8).toBeLessThanOrEqual(w);
        expect(g.rows * g.tileHeight + (g.rows - 1) * 8).toBeLessThanOrEqual(h);
        expect(Math.abs(g.tileWidth / g.tileHeight - 16 / 9)).toBeLessThan(0.05);
      }
    }
  });

  it('is empty for nothing or no room', () => {
    expect(bestGrid(0, 100, 100).cols).toBe(0);
    expect(bestGrid(3, 0, 100).tileWidth).toBe(0);
  });
});

describe('tileCapacity', () => {
  it('fits many tiles on a desktop and few on a phone', () => {
    expect(tileCapacity(1280, 720, 180)).toBeGreaterThanOrEqual(16);
    const phone = tileCapacity(344, 520, 110);
    expect(phone).toBeGreaterThanOrEqual(4);
    expect(phone).toBeLessThanOrEqual(16);
  });
});

describe('pickVisible', () => {
  const people = Array.from({ length: 10 }, (_, i) => ({ id: i, speaking: i === 8, self: i === 0 }));
  const priority = (p: (typeof people)[number]) => (p.self ? 4 : 0) + (p.speaking ? 2 : 0);

  it('shows everyone who fits', () => {
    expect(pickVisible(people, 10, priority)).toEqual({ shown: people, hidden: 0 });
  });

  it('keeps you and the speaker visible, in joining order, and counts the rest', () => {
    const { shown, hidden } = pickVisible(people, 4, priority);
    expect(shown.map((p) => p.id)).toEqual([0, 1, 8]);
    expect(hidden).toBe(7);
  });
});
