import { describe, expect, it } from 'vitest';
import { decodeHeader } from '../../src/sframe/header';
import { transformStream, type EncodedFrame, type TransformCounters, type TransformOptions } from '../../src/sframe/frame-crypto';
import { KeyRing, type EpochKeys } from '../../src/sframe/key-ring';
import { mlsKeyId, senderBits } from '../../src/sframe/mls-kid';
import { contains, FakeFrame, opusFrame, payload, pipeFrames, vp8Delta, vp8Keyframe } from './frames';

const GROUP = 3;
const epochKeys = (epoch: number, senderIndex: number, fill = epoch): EpochKeys => ({
  epoch: BigInt(epoch),
  baseKey: new Uint8Array(16).fill(fill),
  groupSize: GROUP,
  senderIndex,
});

function member(senderIndex: number, ...epochs: number[]): KeyRing {
  const ring = new KeyRing();
  epochs.forEach((epoch) => ring.setEpoch(epochKeys(epoch, senderIndex)));
  return ring;
}

async function run(
  ring: KeyRing,
  role: TransformOptions['role'],
  frames: EncodedFrame[],
  kind: TransformOptions['kind'] = 'video',
): Promise<{ out: FakeFrame[]; counters: TransformCounters }> {
  let counters: TransformCounters | undefined;
  const out = await pipeFrames(frames, (readable, writable) => {
    const transform = transformStream(readable, writable, { id: `${role}-test`, role, kind }, ring);
    counters = transform.counters;
    return transform.done;
  });
  return { out: out as FakeFrame[], counters: counters! };
}

const copy = (frames: FakeFrame[]) => frames.map((frame) => new FakeFrame(frame.bytes, frame.mimeType));

describe('frame encryption for Chromium encoded transforms', () => {
  const originals = [
    new FakeFrame(vp8Keyframe(payload(1200, 1)), 'video/VP8'),
    new FakeFrame(vp8Delta(payload(300, 2)), 'video/VP8'),
    new FakeFrame(vp8Delta(payload(5, 3))),
  ];

  it('keeps the VP8 payload header in clear, then SFrame header, ciphertext and tag', async () => {
    const alice = member(1, 4);
    const { out, counters } = await run(alice, 'encrypt', copy(originals));

    expect(counters).toMatchObject({ encrypted: 3, dropped: {} });
    expect(out).toHaveLength(3);
    out.forEach((frame, i) => {
      const original = originals[i]!.bytes;
      const clear = i === 0 ? 10 : 3;
      expect(frame.bytes.subarray(0, clear)).toEqual(original.subarray(0, clear));
      const header = decodeHeader(frame.bytes.subarray(clear));
      expect(header.kid).toBe(mlsKeyId(4n, 1, senderBits(GROUP)));
      expect(header.ctr).toBe(BigInt(i));
      expect(frame.bytes.length).toBe(original.length + header.bytes.length + 16);
      expect(contains(frame.bytes, original.subarray(clear, clear + 8))).toBe(false);
    });
  });

  it('round-trips video and audio frames between two members, in order', async () => {
    const alice = member(1, 4);
    const bob = member(2, 4);
    const audio = [new FakeFrame(opusFrame(payload(120, 4)), 'audio/opus'), new FakeFrame(opusFrame(payload(3, 5)))];

    const video = await run(alice, 'encrypt', copy(originals));
    const sound = await run(alice, 'encrypt', copy(audio), 'audio');
    expect(sound.out[0]!.bytes[0]).toBe(0xfc);
    const seen = await run(bob, 'decrypt', video.out);
    const heard = await run(bob, 'decrypt', sound.out, 'audio');

    expect(seen.counters).toMatchObject({ decrypted: 3, dropped: {} });
    expect(seen.out.map((frame) => frame.bytes)).toEqual(originals.map((frame) => frame.bytes));
    expect(heard.out.map((frame) => frame.bytes)).toEqual(audio.map((frame) => frame.bytes));
  });

  it('drops a frame whose clear bytes, SFrame header or ciphertext were changed', async () => {
    const alice = member(1, 4);
    const bob = member(2, 4);
    const { out } = await run(alice, 'encrypt', [new FakeFrame(vp8Delta(payload(100)))].concat(copy(originals)));
    const tampered = out.map((frame) => new FakeFrame(frame.bytes, frame.mimeType));
    tampered[0]!.bytes[1]! ^= 0x40; // clear VP8 byte
    tampered[1]!.bytes[5]! ^= 0x01; // clear keyframe width
    expect(decodeHeader(tampered[2]!.bytes.subarray(3)).ctr).toBe(2n);
    tampered[2]!.bytes[3]! ^= 0x01; // SFrame config byte: CTR 2 becomes 3
    tampered[3]!.bytes[tampered[3]!.bytes.length - 1]! ^= 0x80; // tag

    const { out: shown, counters } = await run(bob, 'decrypt', tampered);

    expect(shown).toHaveLength(0);
    expect(counters.decrypted).toBe(0);
    expect(counters.dropped['authentication-failed']).toBe(4);
  });

  it('drops frames of an epoch it does not hold, or with another base key for the same epoch', async () => {
    const { out } = await run(member(1, 5), 'encrypt', copy(originals));
    const outsider = new KeyRing();
    outsider.setEpoch(epochKeys(5, 2, 99));

    const early = await run(member(2, 4), 'decrypt', copy(out));
    const wrongKey = await run(outsider, 'decrypt', copy(out));

    expect(early.out).toHaveLength(0);
    expect(early.counters.dropped).toEqual({ 'unknown-epoch': 3 });
    expect(wrongKey.out).toHaveLength(0);
    expect(wrongKey.counters.dropped).toEqual({ 'authentication-failed': 3 });
  });

  it('still decrypts the previous epoch after a commit, but not the one before', async () => {
    const sent4 = (await run(member(1, 4), 'encrypt', copy(originals))).out;
    const sent3 = (await run(member(1, 3), 'encrypt', copy(originals))).out;
    const bob = member(2, 3, 4, 5);

    expect((await run(bob, 'decrypt', sent4)).counters).toMatchObject({ decrypted: 3, dropped: {} });
    expect((await run(bob, 'decrypt', sent3)).counters.dropped).toEqual({ 'unknown-epoch': 3 });
  });

  it('drops a replayed frame and a frame under its own KID', async () => {
    const alice = member(1, 4);
    const { out } = await run(alice, 'encrypt', copy(originals.slice(0, 1)));
    const again = [...copy(out), ...copy(out)];

    const bob = await run(member(2, 4), 'decrypt', again);
    const self = await run(alice, 'decrypt', copy(out));

    expect(bob.counters).toMatchObject({ decrypted: 1, dropped: { replayed: 1 } });
    expect(self.counters.dropped).toEqual({ 'unknown-sender': 1 });
  });

  it('sends nothing, not even in clear, without keys or for a codec it has no rule for', async () => {
    const keyless = await run(new KeyRing(), 'encrypt', copy(originals));
    const h264 = await run(member(1, 4), 'encrypt', [new FakeFrame(payload(50), 'video/H264')]);
    const empty = await run(member(1, 4), 'encrypt', [new FakeFrame(new Uint8Array(0), 'audio/opus')], 'audio');

    expect(keyless.out).toHaveLength(0);
    expect(keyless.counters.dropped).toEqual({ 'no-sending-key': 3 });
    expect(h264.out).toHaveLength(0);
    expect(h264.counters.dropped).toEqual({ 'unsupported-codec': 1 });
    expect(empty.counters.dropped).toEqual({ 'malformed-frame': 1 });
  });

  it('drops frames too short for a header and tag, and frames of garbage', async () => {
    const bob = member(2, 4);
    const frames = [new FakeFrame(vp8Delta(new Uint8Array(0))), new FakeFrame(vp8Delta(Uint8Array.of(0x12, 1, 2, 3))), new FakeFrame(payload(400))];

    const { out, counters } = await run(bob, 'decrypt', frames);

    expect(out).toHaveLength(0);
    expect(Object.values(counters.dropped).reduce((a, b) => a + b, 0)).toBe(3);
    expect(counters.dropped['header-truncated']).toBe(1);
  });
});
