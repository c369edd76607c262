/**
 * The frame-crypto worker: SFrame (RFC 9605) on every encoded audio and video frame of the call,
 * off the main thread. Start it with `new Worker(new URL('./worker.ts', import.meta.url), { type:
 * 'module' })` and drive it with FrameCryptoClient (frame-crypto-client.ts).
 */
import { serveFrameCrypto, type FrameCryptoScope } from './frame-crypto-service';

// DedicatedWorkerGlobalScope types `onrtctransform` with the full RTCTransformEvent; the service
// needs only its `transformer`, so the scope is narrowed to what it uses.
serveFrameCrypto(self as unknown as FrameCryptoScope);
