import type { TrackKind, TrackSource } from '../signaling/protocol';

/**
 * The camera's simulcast encodings (docs/protocol.md, "Simulcast"): three streams named by RID
 * (RFC 8851), lowest first, at a quarter, half and the full captured resolution. The relay
 * forwards each subscriber the best one its bandwidth and the size it renders allow (docs/media-
 * relay.md §5c). The bit rates cap each stream; the browser drops the top streams first when its
 * own uplink is short.
 */
export const CAMERA_ENCODINGS: readonly RTCRtpEncodingParameters[] = [
  { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { rid: 'f', scaleResolutionDownBy: 1, maxBitrate: 1_200_000 },
];

/**
 * The encodings to send a track with: the camera in simulcast; the microphone and a screen share
 * (whose text must stay sharp, and which the relay sends every subscriber first) as one stream.
 * Chromium sends at most two simulcast streams of a picture under 960×540 and one under 640×360
 * (libwebrtc's simulcast layer limit), dropping the top ones: a smaller camera (`height`, from
 * the track's settings) sends only its top streams, so its full resolution still goes out.
 */
export function sendEncodings(kind: TrackKind, source: TrackSource, height?: number): RTCRtpEncodingParameters[] | undefined {
  if (kind !== 'video' || source !== 'camera') {
    return undefined;
  }
  const streams = height === undefined || height >= 540 ? 3 : height >= 360 ? 2 : 1;
  if (streams === 1) {
    return undefined;
  }
  return CAMERA_ENCODINGS.slice(CAMERA_ENCODINGS.length - streams).map((encoding) => ({ ...encoding }));
}
