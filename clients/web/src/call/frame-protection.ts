/**
 * Where the call's end-to-end encryption meets the media: the SFrame worker (src/sframe) attaches
 * an encrypting transform to every sender and a decrypting one to every receiver. The media
 * session knows nothing about keys; it asks this for a transform per transceiver.
 */
export interface FrameProtection {
  /** Encrypts what `sender` sends (`kind` decides the codec's clear prefix). */
  protectSender(sender: RTCRtpSender, kind: 'audio' | 'video'): void;
  /** Decrypts what `receiver` receives; frames that fail are dropped and counted, never rendered. */
  protectReceiver(receiver: RTCRtpReceiver, kind: 'audio' | 'video'): void;
}
