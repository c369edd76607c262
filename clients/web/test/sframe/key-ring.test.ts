import { describe, expect, it } from 'vitest';
import { AES_256_GCM_SHA512_128 } from '../../src/sframe/cipher-suite';
import { decodeHeader } from '../../src/sframe/header';
import { KeyRing, MAX_CONTEXT, type EpochKeys } from '../../src/sframe/key-ring';
import { encrypt } from '../../src/sframe/sframe';
import { fromHex, toHex } from './vectors';

const base = (fill: number) => new Uint8Array(16).fill(fill);
const keys = (epoch: number, fill: number, senderIndex = 0, groupSize = 4): EpochKeys => ({
  epoch: BigInt(epoch),
  baseKey: base(fill),
  groupSize,
  senderIndex,
});

async function sentKid(ring: KeyRing, context = 0n): Promise<{ kid: bigint; ctr: bigint }> {
  const { key, ctr } = await ring.nextSendSlot(context);
  const { kid } = decodeHeader(await encrypt(key, ctr, new Uint8Array(0), new Uint8Array(1)));
  return { kid, ctr };
}

describe('KeyRing (RFC 9605 §5.2, as clients/java SFrameKeys)', () => {
  it('derives the RFC C.3 / clients/java SFrameKeysTest key for KID 0x123', async () => {
    // KID 0x123 = sender 1 (S = 2 for 2 leaves), epoch bits 0x23; base key 00…0f as in the vector.
    const ring = new KeyRing();
    ring.setEpoch({ epoch: 0x23n, baseKey: fromHex('000102030405060708090a0b0c0d0e0f'), groupSize: 2, senderIndex: 0 });
    const { key } = await ring.receiveSlot(0x123n);
    expect(toHex(key.salt)).toBe('75234edefe07819026751816');
    const ct = await encrypt(key, 0x4567n, fromHex('4945544620534672616d65205747'), fromHex('64726166742d696574662d736672616d652d656e63'));
    expect(toHex(ct)).toBe('9901234567b7412c2513a1b66dbb48841bbaf17f598751176ad847681a69c6d0b091c07018ce4adb34eb');
  });

  it('sends under KID (context << (S+E)) + (index << E) + epoch mod 2^E with CTRs 0, 1, 2 …', async () => {
    const ring = new KeyRing();
    ring.setEpoch({ epoch: 0x1234n, baseKey: base(1), groupSize: 6, senderIndex: 5 });
    expect(await sentKid(ring)).toEqual({ kid: 0x534n, ctr: 0n });
    expect(await sentKid(ring)).toEqual({ kid: 0x534n, ctr: 1n });
    expect(await sentKid(ring, 1n)).toEqual({ kid: 0xd34n, ctr: 0n });
    await expect(ring.nextSendSlot(MAX_CONTEXT + 1n)).rejects.toMatchObject({ code: 'value-out-of-range' });
  });

  it('hands out distinct CTRs to concurrent frames', async () => {
    const ring = new KeyRing();
    ring.setEpoch(keys(1, 1));
    const slots = await Promise.all(Array.from({ length: 20 }, () => ring.nextSendSlot()));
    expect(new Set(slots.map(({ ctr }) => ctr)).size).toBe(20);
  });

  it('keeps the current and the previous epoch, newest first, and refuses older ones', () => {
    const ring = new KeyRing();
    ring.setEpoch(keys(1, 1));
    ring.setEpoch(keys(2, 2));
    expect(ring.epochs).toEqual([2n, 1n]);
    ring.setEpoch(keys(3, 3));
    expect(ring.epochs).toEqual([3n, 2n]);
    expect(() => ring.setEpoch(keys(1, 1))).toThrow(expect.objectContaining({ code: 'stale-epoch' }));
    expect(ring.epochs).toEqual([3n, 2n]);
  });

  it('refuses KIDs of epochs it does not hold, its own KIDs and senders outside the group', async () => {
    const ring = new KeyRing();
    ring.setEpoch(keys(7, 1, 2, 4));
    await expect(ring.receiveSlot(0x08n)).rejects.toMatchObject({ code: 'unknown-epoch' });
    await expect(ring.receiveSlot(0x107n)).resolves.toBeDefined();
    await expect(ring.receiveSlot(0x207n)).rejects.toMatchObject({ code: 'unknown-sender' });
    // S = 3 for 4 leaves: index 4 fits in the bits but is not a leaf.
    await expect(ring.receiveSlot(0x407n)).rejects.toMatchObject({ code: 'unknown-sender' });
    await expect(ring.receiveSlot((MAX_CONTEXT + 1n) << 11n | 0x107n)).rejects.toMatchObject({ code: 'unknown-sender' });
  });

  it('gives the same epoch twice the same keys without restarting its CTRs', async () => {
    const ring = new KeyRing();
    ring.setEpoch(keys(1, 1));
    await ring.nextSendSlot();
    ring.setEpoch(keys(1, 1));
    expect((await ring.nextSendSlot()).ctr).toBe(1n);
    ring.setEpoch(keys(1, 9));
    expect((await ring.nextSendSlot()).ctr).toBe(0n);
  });

  it('replaces a held epoch whose low 8 bits a new epoch repeats (§5.2 rollover)', async () => {
    const ring = new KeyRing();
    ring.setEpoch(keys(3, 1));
    ring.setEpoch(keys(3 + 256, 2));
    expect(ring.epochs).toEqual([259n]);
  });

  it('drops epochs on request, and has nothing to send with when none is left', async () => {
    const ring = new KeyRing();
    ring.setEpoch(keys(1, 1));
    ring.setEpoch(keys(2, 2));
    expect(ring.dropEpoch(1n)).toBe(true);
    expect(ring.dropEpoch(1n)).toBe(false);
    expect(ring.epochs).toEqual([2n]);
    expect(ring.dropEpoch(2n)).toBe(true);
    await expect(ring.nextSendSlot()).rejects.toMatchObject({ code: 'no-sending-key' });
  });

  it('checks the base key length against the suite and the sender index against the group', () => {
    expect(() => new KeyRing().setEpoch({ ...keys(1, 1), baseKey: new Uint8Array(32) })).toThrow(
      expect.objectContaining({ code: 'bad-key-length' }),
    );
    expect(() => new KeyRing(AES_256_GCM_SHA512_128).setEpoch({ ...keys(1, 1), baseKey: new Uint8Array(32) })).not.toThrow();
    expect(() => new KeyRing().setEpoch(keys(1, 1, 4, 4))).toThrow(expect.objectContaining({ code: 'value-out-of-range' }));
  });
});
