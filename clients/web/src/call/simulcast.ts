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
 */
export function sendEncodings(kind: TrackKind, source: TrackSource): RTCRtpEncodingParameters[] | undefined {
  return kind === 'video' && source === 'camera' ? CAMERA_ENCODINGS.map((encoding) => ({ ...encoding })) : undefined;
}
