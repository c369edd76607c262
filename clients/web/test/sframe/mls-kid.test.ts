import { describe, expect, it } from 'vitest';
import { SFrameError } from '../../src/sframe/errors';
import { EPOCH_BITS, mlsKeyId, parseMlsKeyId, senderBits } from '../../src/sframe/mls-kid';

describe('MLS KIDs (RFC 9605 §5.2)', () => {
  it('reproduces Figure 9 of the RFC (E = 4, S = 6)', () => {
    const kid = (epoch: number, index: number, context = 0n) => mlsKeyId(BigInt(epoch), index, 6, context, 4);
    expect([kid(14, 3), kid(14, 7), kid(14, 20)]).toEqual([0x3en, 0x7en, 0x14en]);
    expect([kid(15, 3), kid(15, 5)]).toEqual([0x3fn, 0x5fn]);
    expect([kid(16, 2, 2n), kid(16, 2, 3n)]).toEqual([0x820n, 0xc20n]);
    expect([kid(17, 33), kid(17, 51)]).toEqual([0x211n, 0x331n]);
  });

  it('matches clients/java SFrameKeysTest: S from the leaf count, E = 8', () => {
    expect(EPOCH_BITS).toBe(8);
    expect(senderBits(6)).toBe(3);
    expect(mlsKeyId(0x1234n, 5, senderBits(6))).toBe(0x534n);
    expect(mlsKeyId(0x1234n, 5, senderBits(6), 1n)).toBe(0xd34n);
    expect(() => mlsKeyId(0x1234n, 8, senderBits(6))).toThrow(SFrameError);
    expect(() => mlsKeyId(0x1234n, 1, senderBits(6), 1n << 53n)).toThrow(SFrameError);
    expect(mlsKeyId(0x1234n, 1, senderBits(6), (1n << 53n) - 1n)).toBe(((1n << 53n) - 1n) << 11n | 0x134n);
  });

  it('takes S as the bit length of the leaf count, as the Java client does', () => {
    expect([1, 2, 3, 4, 7, 8, 1000].map(senderBits)).toEqual([1, 2, 2, 3, 3, 4, 10]);
    expect(() => senderBits(0)).toThrow(SFrameError);
  });

  it('splits a KID back into its parts', () => {
    const kid = mlsKeyId(0x1234n, 5, 3, 1n);
    expect(parseMlsKeyId(kid, 3)).toEqual({ context: 1n, senderIndex: 5, epochBits: 0x34 });
  });
});
