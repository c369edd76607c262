import { describe, expect, it } from 'vitest';
import { SFrameError } from '../../src/sframe/errors';
import { decodeHeader, encodeHeader } from '../../src/sframe/header';
import { fromHex, loadVectors, toHex } from './vectors';

const { header: vectors } = loadVectors();

function refusal(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof SFrameError) {
      return error.code;
    }
    throw error;
  }
  return 'accepted';
}

describe('SFrame header (RFC 9605 §4.3, Appendix C.1)', () => {
  it('has all 289 header vectors', () => {
    expect(vectors).toHaveLength(289);
  });

  it.each(vectors)('encodes KID $kid, CTR $ctr as $encoded', ({ kid, ctr, encoded }) => {
    expect(toHex(encodeHeader(kid, ctr))).toBe(encoded);
  });

  it.each(vectors)('decodes $encoded as KID $kid, CTR $ctr', ({ kid, ctr, encoded }) => {
    const withPayload = fromHex(`${encoded}c0ffee`);
    const header = decodeHeader(withPayload);
    expect(header.kid).toBe(kid);
    expect(header.ctr).toBe(ctr);
    expect(toHex(header.bytes)).toBe(encoded);
  });

  it('refuses values outside 64 bits', () => {
    expect(refusal(() => encodeHeader(1n << 64n, 0n))).toBe('value-out-of-range');
    expect(refusal(() => encodeHeader(0n, -1n))).toBe('value-out-of-range');
  });

  it('refuses truncated headers', () => {
    expect(refusal(() => decodeHeader(new Uint8Array(0)))).toBe('header-truncated');
    expect(refusal(() => decodeHeader(fromHex('99012345')))).toBe('header-truncated');
    expect(refusal(() => decodeHeader(fromHex('0f01')))).toBe('header-truncated');
  });

  it('refuses non-minimal encodings, so one frame has one header', () => {
    // KID 7 extended instead of inline; CTR 255 in two bytes; KID 256 with a leading zero byte.
    expect(refusal(() => decodeHeader(fromHex('8007')))).toBe('header-not-minimal');
    expect(refusal(() => decodeHeader(fromHex('0900ff')))).toBe('header-not-minimal');
    expect(refusal(() => decodeHeader(fromHex('a0000100')))).toBe('header-not-minimal');
    expect(refusal(() => decodeHeader(fromHex('8008')))).toBe('accepted');
  });
});
