import type { EncodedFrame } from '../../src/sframe/frame-crypto';

/** A synthetic encoded frame, shaped like Chromium's RTCEncodedVideoFrame / RTCEncodedAudioFrame. */
export class FakeFrame implements EncodedFrame {
  data: ArrayBuffer;

  constructor(
    bytes: Uint8Array,
    readonly mimeType?: string,
  ) {
    this.data = bytes.slice().buffer;
  }

  getMetadata(): { mimeType?: string } {
    return this.mimeType === undefined ? {} : { mimeType: this.mimeType };
  }

  get bytes(): Uint8Array {
    return new Uint8Array(this.data);
  }
}

/** A VP8 keyframe: frame tag with the low bit 0, start code 9d 01 2a, 640×480, then `payload`. */
export function vp8Keyframe(payload: Uint8Array): Uint8Array<ArrayBuffer> {
  return Uint8Array.from([0x50, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01, ...payload]);
}

/** A VP8 interframe: frame tag with the low bit 1, then `payload`. */
export function vp8Delta(payload: Uint8Array): Uint8Array<ArrayBuffer> {
  return Uint8Array.from([0x31, 0x01, 0x00, ...payload]);
}

/** An Opus frame: TOC byte, then `payload`. */
export function opusFrame(payload: Uint8Array): Uint8Array<ArrayBuffer> {
  return Uint8Array.from([0xfc, ...payload]);
}

/** Deterministic filler that never repeats within a frame, so leaks of plaintext are visible. */
export function payload(length: number, seed = 1): Uint8Array<ArrayBuffer> {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed * 17 + (i >> 8)) & 0xff);
}

/** Pushes `frames` through `connect(readable, writable)` and collects what comes out. */
export async function pipeFrames(
  frames: EncodedFrame[],
  connect: (readable: ReadableStream<EncodedFrame>, writable: WritableStream<EncodedFrame>) => Promise<void>,
): Promise<EncodedFrame[]> {
  const out: EncodedFrame[] = [];
  const readable = new ReadableStream<EncodedFrame>({
    start(controller) {
      frames.forEach((frame) => controller.enqueue(frame));
      controller.close();
    },
  });
  const writable = new WritableStream<EncodedFrame>({ write: (frame) => void out.push(frame) });
  await connect(readable, writable);
  return out;
}

/** Whether `needle` occurs in `haystack`. */
export function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) {
        continue outer;
      }
    }
    return true;
  }
  return false;
}
