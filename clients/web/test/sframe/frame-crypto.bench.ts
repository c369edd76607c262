/**
 * Per-frame cost of Parley's frame encryption (issue 8, docs/benchmarks.md): `encryptFrame` and
 * `decryptFrame` with suite 0x0004 on a 1,200-byte and a 30 KB VP8 interframe, through the same
 * KeyRing, clear-prefix, SFrame and WebCrypto calls as the worker. Run in clients/web with
 *   npx vitest bench --run test/sframe
 * Decryption cycles through frames encrypted beforehand, with a fresh receiver ring each cycle,
 * because the replay window (rightly) refuses a frame twice.
 */
import { bench, describe } from 'vitest';
import { decryptFrame, encryptFrame } from '../../src/sframe/frame-crypto';
import { KeyRing, type EpochKeys } from '../../src/sframe/key-ring';
import { payload, vp8Delta } from './frames';

const POOL = 512;
const epoch = (senderIndex: number): EpochKeys => ({ epoch: 1n, baseKey: new Uint8Array(16).fill(3), groupSize: 8, senderIndex });
const ring = (senderIndex: number) => {
  const keys = new KeyRing();
  keys.setEpoch(epoch(senderIndex));
  return keys;
};

for (const size of [1200, 30_000]) {
  const frame = vp8Delta(payload(size - 3));
  const sender = ring(0);
  const sealed = await Promise.all(Array.from({ length: POOL }, () => encryptFrame(sender, 'video/vp8', frame)));
  let receiver = ring(1);
  let next = 0;

  describe(`${size}-byte VP8 frame`, () => {
    bench('encrypt', async () => {
      await encryptFrame(sender, 'video/vp8', frame);
    });

    bench('decrypt', async () => {
      if (next === POOL) {
        next = 0;
        receiver = ring(1);
      }
      await decryptFrame(receiver, 'video/vp8', sealed[next++]!);
    });
  });
}
