/** The grid's geometry: pure math, so it is unit-tested (test/ui/layout.test.ts). */

export interface Grid {
  readonly cols: number;
  readonly rows: number;
  readonly tileWidth: number;
  readonly tileHeight: number;
}

/**
 * The arrangement of {@code count} tiles of one aspect ratio in a {@code width}×{@code height} box
 * that makes them largest: 1, 2 side by side (or stacked on a phone held upright), 2×2, 3×2, 3×3…
 */
export function bestGrid(count: number, width: number, height: number, gap = 8, aspect = 16 / 9): Grid {
  if (count <= 0 || width <= 0 || height <= 0) {
    return { cols: 0, rows: 0, tileWidth: 0, tileHeight: 0 };
  }
  let best: Grid = { cols: 1, rows: count, tileWidth: 0, tileHeight: 0 };
  for (let cols = 1; cols <= count; cols++) {
    const rows = Math.ceil(count / cols);
    if (cols > 1 && Math.ceil(count / (cols - 1)) === rows) {
      continue; // the same rows with fewer columns is at least as good
    }
    const cellWidth = (width - gap * (cols - 1)) / cols;
    const cellHeight = (height - gap * (rows - 1)) / rows;
    const tileWidth = Math.max(0, Math.min(cellWidth, cellHeight * aspect));
    if (tileWidth > best.tileWidth + 0.5) {
      best = { cols, rows, tileWidth, tileHeight: tileWidth / aspect };
    }
  }
  return { ...best, tileWidth: Math.floor(best.tileWidth), tileHeight: Math.floor(best.tileHeight) };
}

/** How many tiles fit while each stays at least {@code minTileWidth} wide (at least 1, at most {@code limit}). */
export function tileCapacity(width: number, height: number, minTileWidth: number, gap = 8, limit = 49): number {
  let fits = 1;
  for (let n = 2; n <= limit; n++) {
    if (bestGrid(n, width, height, gap).tileWidth >= minTileWidth) {
      fits = n;
    }
  }
  return fits;
}

/**
 * Which of {@code items} get a tile when only {@code max} fit: the ones with the highest priority,
 * shown in their original order (joining order stays stable as people speak), and how many are
 * left over for a "+N" tile (which takes the last place).
 */
export function pickVisible<T>(items: readonly T[], max: number, priority: (item: T) => number): { shown: T[]; hidden: number } {
  if (items.length <= max) {
    return { shown: [...items], hidden: 0 };
  }
  const room = Math.max(1, max - 1);
  const ranked = items.map((item, index) => ({ item, index, rank: priority(item) }))
    .sort((a, b) => b.rank - a.rank || a.index - b.index)
    .slice(0, room)
    .sort((a, b) => a.index - b.index);
  return { shown: ranked.map((entry) => entry.item), hidden: items.length - ranked.length };
}
