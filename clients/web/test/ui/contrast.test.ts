import { describe, expect, it } from 'vitest';

// Read as a file: Vitest hands CSS imports (even ?raw) over empty. The specifier is not a literal so
// that the type check does not need Node's types.
const fs = (await import(/* @vite-ignore */ ('node:fs' as string))) as { readFileSync(path: string, encoding: 'utf8'): string };
const css = fs.readFileSync(new URL('../../src/ui/styles.css', import.meta.url).pathname, 'utf8');

/** WCAG 2.x relative luminance and contrast ratio. */
function luminance(hex: string): number {
  const value = hex.replace('#', '');
  const full = value.length === 3 ? [...value].map((c) => c + c).join('') : value;
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

function hsl(h: number, s: number, l: number): string {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return '#' + [f(0), f(8), f(4)].map((x) => Math.round(x * 255).toString(16).padStart(2, '0')).join('');
}

const vars = new Map([...css.matchAll(/--([a-z0-9-]+):\s*(#[0-9a-fA-F]{3,6})\s*;/g)].map((m) => [m[1], m[2]]));
const v = (name: string) => {
  const value = vars.get(name);
  if (!value) {
    throw new Error(`--${name} is not a colour in styles.css`);
  }
  return value;
};

describe('colour contrast (WCAG AA, 4.5:1 for text)', () => {
  const pairs: [string, string][] = [
    ['text', 'bg'], ['text', 'surface'], ['text', 'surface-2'], ['text', 'surface-3'], ['text', 'tile'],
    ['text-muted', 'bg'], ['text-muted', 'surface'], ['text-muted', 'surface-2'],
    ['primary', 'bg'], ['primary', 'surface'], ['on-primary', 'primary'], ['on-primary', 'primary-hover'],
    ['on-danger', 'danger'], ['on-danger', 'danger-hover'],
    ['verified', 'verified-bg'], ['guest', 'guest-bg'], ['host', 'host-bg'],
    ['on-warning', 'warning-bg'], ['on-toast', 'toast-bg'], ['toast-action', 'toast-bg'],
  ];
  for (const [fg, bg] of pairs) {
    it(`--${fg} on --${bg}`, () => {
      expect(contrast(v(fg), v(bg))).toBeGreaterThanOrEqual(4.5);
    });
  }

  it('white initials on every avatar hue (hsl(h 45% 32%))', () => {
    expect(css).toContain('hsl(var(--hue) 45% 32%)');
    for (let hue = 0; hue < 360; hue += 5) {
      expect(contrast('#ffffff', hsl(hue, 0.45, 0.32))).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('the focus ring stands out from the page (3:1 for non-text)', () => {
    expect(contrast(v('focus'), v('bg'))).toBeGreaterThanOrEqual(3);
    expect(contrast(v('focus'), v('surface'))).toBeGreaterThanOrEqual(3);
  });
});
