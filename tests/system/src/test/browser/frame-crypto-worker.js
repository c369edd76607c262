// The encoded transform of the browser call test (RTCRtpScriptTransform, RECIPES.md "Encrypting media
// frames in Chromium"): AES-128-GCM over every frame with a key the test shares between the pages of
// the call. The codec's payload header stays in clear so the receiving browser can parse it, and is
// authenticated as additional data: VP8, the first 10 bytes of a keyframe and 3 of a delta frame;
// Opus, 1 byte. Frame on the wire: clear header | ciphertext | 16-byte tag | 12-byte IV | clear length.
// The IV is a random 32-bit salt of the sending transform followed by a 64-bit frame counter.
//
// Options of each transform: {id, role: 'encrypt'|'decrypt', kind: 'audio'|'video', key: hex,
// onFailure: 'drop'|'pass'}. A receiver with 'pass' hands frames it cannot authenticate to the decoder
// as they arrived, as a client without the key would. Counters go to the page with postMessage.

const TRAILER = 12 + 1;
const TAG = 16;
const keys = new Map();

function importKey(hex) {
  if (!keys.has(hex)) {
    const raw = new Uint8Array(hex.match(/../g).map((b) => parseInt(b, 16)));
    keys.set(hex, crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']));
  }
  return keys.get(hex);
}

function clearBytes(kind, frame) {
  if (kind === 'audio') {
    return 1;
  }
  return frame.type === 'key' ? 10 : 3;
}

self.onrtctransform = (event) => {
  const transformer = event.transformer;
  const options = transformer.options;
  const counters = { id: options.id, role: options.role, kind: options.kind, ok: 0, failed: 0, bytes: 0 };
  const salt = crypto.getRandomValues(new Uint32Array(1))[0];
  let counter = 0n;
  let reported = 0;
  const report = (force) => {
    const now = Date.now();
    if (force || now - reported > 200) {
      reported = now;
      self.postMessage({ ...counters });
    }
  };
  const keyPromise = importKey(options.key);

  async function encrypt(frame, controller) {
    const key = await keyPromise;
    const data = new Uint8Array(frame.data);
    const clear = Math.min(clearBytes(options.kind, frame), data.length);
    const header = data.slice(0, clear);
    const iv = new Uint8Array(12);
    const view = new DataView(iv.buffer);
    view.setUint32(0, salt);
    view.setBigUint64(4, counter++);
    const sealed = new Uint8Array(await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: header, tagLength: TAG * 8 }, key, data.subarray(clear)));
    const out = new Uint8Array(clear + sealed.length + TRAILER);
    out.set(header, 0);
    out.set(sealed, clear);
    out.set(iv, clear + sealed.length);
    out[out.length - 1] = clear;
    frame.data = out.buffer;
    counters.ok++;
    counters.bytes += out.length;
    controller.enqueue(frame);
    report(counters.ok === 1);
  }

  async function decrypt(frame, controller) {
    const key = await keyPromise;
    const data = new Uint8Array(frame.data);
    try {
      if (data.length < TAG + TRAILER) {
        throw new Error('too short');
      }
      const clear = data[data.length - 1];
      if (clear > 10 || data.length < clear + TAG + TRAILER) {
        throw new Error('bad clear length');
      }
      const header = data.subarray(0, clear);
      const iv = data.slice(data.length - TRAILER, data.length - 1);
      const opened = new Uint8Array(await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv, additionalData: header, tagLength: TAG * 8 }, key,
        data.subarray(clear, data.length - TRAILER)));
      const out = new Uint8Array(clear + opened.length);
      out.set(header, 0);
      out.set(opened, clear);
      frame.data = out.buffer;
      counters.ok++;
      counters.bytes += out.length;
      controller.enqueue(frame);
      report(counters.ok === 1);
    } catch (e) {
      counters.failed++;
      report(counters.failed === 1);
      if (options.onFailure === 'pass') {
        controller.enqueue(frame);
      }
    }
  }

  transformer.readable
    .pipeThrough(new TransformStream({ transform: options.role === 'encrypt' ? encrypt : decrypt }))
    .pipeTo(transformer.writable)
    .catch((e) => self.postMessage({ ...counters, error: String(e) }));
};
