import { describe, expect, it } from 'vitest';
import { EMOJI, emojiIndices, securityCode, securityDigits } from '../../src/mls/securityCode';

describe('security code', () => {
  it('digits: six groups of five, as the Java client (SecurityCodeTest)', () => {
    const authenticator = new Uint8Array(32);
    authenticator[4] = 1;
    authenticator[9] = 0xff;
    authenticator.fill(0xff, 10, 15);
    authenticator[31] = 7;
    expect(securityDigits(authenticator)).toBe('00001 00255 27775 00000 00000 00000');
    expect(() => securityDigits(new Uint8Array(29))).toThrow();
  });

  it('emoji and words: eight 6-bit indices of the first 48 bits, most significant first', () => {
    // 0b000000 000001 000010 000011 111111 111110 111101 111100
    const bits = 0b000000_000001_000010_000011_111111_111110_111101_111100n;
    const bytes = new Uint8Array(32);
    for (let i = 0; i < 6; i++) bytes[i] = Number((bits >> BigInt(8 * (5 - i))) & 0xffn);
    expect(emojiIndices(bytes)).toEqual([0, 1, 2, 3, 63, 62, 61, 60]);
    const code = securityCode(bytes);
    expect(code.words).toEqual(['dog', 'cat', 'lion', 'horse', 'pin', 'folder', 'headphones', 'anchor']);
    expect(code.emoji).toEqual(['🐶', '🐱', '🦁', '🐎', '📌', '📁', '🎧', '⚓']);
    expect(code.digits).toBe(securityDigits(bytes));
  });

  it('has 64 distinct emoji and names', () => {
    expect(EMOJI).toHaveLength(64);
    expect(new Set(EMOJI.map((e) => e[0])).size).toBe(64);
    expect(new Set(EMOJI.map((e) => e[1])).size).toBe(64);
  });

  it('changes with the authenticator', () => {
    const a = new Uint8Array(32).fill(9);
    const b = a.slice();
    b[0] ^= 0x80;
    expect(securityCode(a).emoji).not.toEqual(securityCode(b).emoji);
    expect(securityCode(a).digits).not.toEqual(securityCode(b).digits);
  });
});
