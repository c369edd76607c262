import { describe, expect, it } from 'vitest';
import { CAMERA_ENCODINGS, sendEncodings } from '../../src/call/simulcast';

describe('simulcast encodings', () => {
  it('sends the camera as three streams, lowest first, each smaller and cheaper than the next', () => {
    const encodings = sendEncodings('video', 'camera')!;
    expect(encodings.map((encoding) => encoding.rid)).toEqual(['q', 'h', 'f']);
    expect(encodings.map((encoding) => encoding.scaleResolutionDownBy)).toEqual([4, 2, 1]);
    for (let i = 1; i < encodings.length; i++) {
      expect(encodings[i].maxBitrate!).toBeGreaterThan(encodings[i - 1].maxBitrate!);
    }
  });

  it('gives each publish its own copies, so a caller cannot change the defaults', () => {
    const encodings = sendEncodings('video', 'camera')!;
    encodings[0].maxBitrate = 1;
    expect(CAMERA_ENCODINGS[0].maxBitrate).toBe(150_000);
  });

  it('sends a smaller camera as its top streams only, as many as Chromium sends of it', () => {
    expect(sendEncodings('video', 'camera', 720)!.map((encoding) => encoding.rid)).toEqual(['q', 'h', 'f']);
    expect(sendEncodings('video', 'camera', 540)!).toHaveLength(3);
    expect(sendEncodings('video', 'camera', 480)!.map((encoding) => encoding.rid)).toEqual(['h', 'f']);
    expect(sendEncodings('video', 'camera', 480)!.map((encoding) => encoding.scaleResolutionDownBy)).toEqual([2, 1]);
    expect(sendEncodings('video', 'camera', 240)).toBeUndefined();
  });

  it('sends the microphone and a screen share as one stream', () => {
    expect(sendEncodings('audio', 'microphone')).toBeUndefined();
    expect(sendEncodings('video', 'screen')).toBeUndefined();
  });
});
