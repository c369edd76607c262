import { SFrameError } from './errors';

/** The media kinds of WebRTC tracks. */
export type MediaKind = 'audio' | 'video';

/** The codec a transform assumes when a frame's metadata names none (older Chromium). */
export function defaultCodec(kind: MediaKind): string {
  return kind === 'audio' ? 'audio/opus' : 'video/vp8';
}

/**
 * How many leading bytes of an encoded frame stay in clear (RECIPES.md, "Encrypting media frames in
 * Chromium 156"). Chromium's receiver parses the codec's payload header from the frame's first
 * bytes; encrypting them made it misjudge keyframes. The bytes kept are authenticated as SFrame
 * metadata (RFC 9605 §4.4.3, §9.4), so changing them makes the frame fail to decrypt. They reveal
 * frame type and size, never picture or sound.
 *
 * - `video/vp8`: the frame tag's low bit is 0 on a keyframe (RFC 6386 §9.1). A keyframe keeps its
 *   10-byte header (3-byte frame tag, start code, width and height), an interframe its 3-byte tag.
 * - `audio/opus`: the TOC byte (RFC 6716 §3.1).
 *
 * Other codecs are refused (`unsupported-codec`), so their frames are dropped, never sent in clear:
 * VP9 and AV1 packetizers and H.264's read more of the bitstream than a fixed prefix (AV1 OBU
 * headers, H.264 NAL units throughout the frame), which Discord's DAVE handles with per-codec
 * clear ranges. Parley offers VP8 and Opus only (`setCodecPreferences`); a clear-range rule for
 * another codec belongs here once a browser test shows it decodes.
 *
 * The rule reads only the clear bytes, so sender and receiver compute the same length from the
 * same bytes; a frame shorter than its clear prefix is refused as `malformed-frame`.
 */
export function clearPrefixLength(codec: string, frame: Uint8Array): number {
  const first = frame[0];
  if (first === undefined) {
    throw new SFrameError('malformed-frame', 'an empty frame');
  }
  let length: number;
  switch (codec.toLowerCase()) {
    case 'video/vp8':
      length = (first & 0x01) === 0 ? 10 : 3;
      break;
    case 'audio/opus':
      length = 1;
      break;
    default:
      throw new SFrameError('unsupported-codec', codec);
  }
  if (frame.length < length) {
    throw new SFrameError('malformed-frame', `${frame.length} bytes, ${codec} keeps ${length} in clear`);
  }
  return length;
}
