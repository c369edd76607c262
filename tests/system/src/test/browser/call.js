// A client of Parley's call protocol (docs/protocol.md), written from the document alone: hello,
// join, one RTCPeerConnection to the media relay with the client always offering, one offer at a
// time, recvonly slots added as the room's tracks need them, and every frame encrypted by an encoded
// transform (frame-crypto-worker.js). call-driver.mjs drives it through window.parley.
// On media-restart (the call's relay was lost or drains) it replaces the RTCPeerConnection with a
// new one carrying the same tracks, and offers again; it never joins again. Make-before-break when
// the relay drains: the old connection plays on until the new one's track of each participant and
// source delivers media (a decoded frame; audio: packets), at most HANDOVER_TIMEOUT_MS, or until it
// fails or receives nothing for SILENT_MS; then it closes. A lost relay's connection closes at once.

const state = {
  ws: null,
  pc: null,
  me: null,
  worker: null,
  key: null,
  onFailure: 'drop',
  region: null,
  pending: new Map(),
  nextId: 1,
  /** participantId -> [{trackId, kind, source}] of every other participant. */
  roomTracks: new Map(),
  /** mid -> {mid, participantId, trackId, kind, source} from the last media-answer. */
  subscriptions: new Map(),
  /** transceiver -> source, for what this page publishes. */
  published: new Map(),
  publishedChanged: false,
  answered: false,
  offering: false,
  again: false,
  offers: 0,
  answers: 0,
  retries: 0,
  errors: [],
  events: [],
  dominantSpeakers: [],
  transforms: new Map(),
  transformCount: 0,
  screen: null,
  simulcast: false,
  retryTimer: null,
  players: [],
  localStream: null,
  /** Bumped by every media-restart: work begun for an older peer connection is dropped. */
  generation: 0,
  restarts: [],
  joins: 0,
  /** During a make-before-break handover: {pc, subscriptions, players, ready, timer, deadline}. */
  previous: null,
};

/** As the web app (clients/web connection-handover.ts): the old connection stands in for at most this long. */
const HANDOVER_TIMEOUT_MS = 4000;
const SILENT_MS = 500;

function note(text) {
  state.events.push(`${new Date().toISOString()} ${text}`);
  console.log(text);
}

function fail(text) {
  state.errors.push(text);
  console.error(text);
}

function send(message) {
  state.ws.send(JSON.stringify(message));
}

/** Sends a message with an id and resolves with its answer, or rejects with its error. */
function request(message) {
  const id = `c${state.nextId++}`;
  if (message.type === 'join') {
    state.joins++;
  }
  return new Promise((resolve, reject) => {
    state.pending.set(id, { resolve, reject, type: message.type });
    send({ ...message, id });
  });
}

function onMessage(event) {
  const message = JSON.parse(event.data);
  const waiting = message.ref !== undefined ? state.pending.get(message.ref) : undefined;
  if (waiting && message.type !== 'payload') {
    state.pending.delete(message.ref);
    if (message.type === 'error') {
      const error = new Error(`${waiting.type}: ${message.code}: ${message.message}`);
      error.code = message.code;
      waiting.reject(error);
    } else {
      waiting.resolve(message);
    }
    return;
  }
  switch (message.type) {
    case 'participant-joined': {
      const participant = message.participant;
      if (participant.participantId !== state.me) {
        state.roomTracks.set(participant.participantId, participant.tracks ?? []);
      }
      note(`participant-joined ${participant.participantId}`);
      negotiate();
      break;
    }
    case 'participant-left':
      state.roomTracks.delete(message.participantId);
      note(`participant-left ${message.participantId} ${message.reason}`);
      negotiate();
      break;
    case 'media-tracks':
      if (message.participantId !== state.me) {
        state.roomTracks.set(message.participantId, message.tracks ?? []);
      }
      note(`media-tracks ${message.participantId} ${JSON.stringify(message.tracks)}`);
      negotiate();
      break;
    case 'dominant-speaker':
      state.dominantSpeakers.push(message.participantId);
      break;
    case 'media-restart':
      restartMedia(message.reason);
      break;
    case 'error':
      fail(`error without a pending request: ${message.code}: ${message.message}`);
      break;
    default:
      note(`received ${message.type}`);
  }
}

function trackKey(participantId, trackId) {
  return `${participantId}/${trackId}`;
}

/** Every other participant's track: key -> {participantId, trackId, kind, source}. */
function othersTracks() {
  const tracks = new Map();
  for (const [participantId, list] of state.roomTracks) {
    for (const track of list) {
      tracks.set(trackKey(participantId, track.trackId), { participantId, ...track });
    }
  }
  return tracks;
}

function subscribedKeys() {
  return new Set([...state.subscriptions.values()].map((s) => trackKey(s.participantId, s.trackId)));
}

/** Whether the room's tracks differ from the last subscriptions, or what this page publishes changed. */
function needsOffer() {
  if (!state.answered || state.publishedChanged) {
    return true;
  }
  const tracks = othersTracks();
  const subscribed = subscribedKeys();
  return tracks.size !== subscribed.size || [...tracks.keys()].some((key) => !subscribed.has(key));
}

function newTransform(role, kind) {
  const id = `${role}-${kind}-${++state.transformCount}`;
  state.transforms.set(id, { id, role, kind, ok: 0, failed: 0, bytes: 0 });
  return new RTCRtpScriptTransform(state.worker, { id, role, kind, key: state.key, onFailure: state.onFailure });
}

function preferVp8(transceiver) {
  const codecs = RTCRtpReceiver.getCapabilities('video').codecs
    .filter((codec) => codec.mimeType === 'video/VP8' || codec.mimeType === 'video/rtx');
  transceiver.setCodecPreferences(codecs);
}

function receivingTransceivers(kind) {
  return state.pc.getTransceivers().filter((t) => !state.published.has(t) && t.receiver.track.kind === kind);
}

/** Adds recvonly transceivers until each kind has a free slot for each of its tracks without one. */
function ensureSlots() {
  const subscribed = subscribedKeys();
  const tracks = [...othersTracks().entries()];
  for (const kind of ['audio', 'video']) {
    const unslotted = tracks.filter(([key, track]) => track.kind === kind && !subscribed.has(key)).length;
    const free = receivingTransceivers(kind).filter((t) => t.mid === null || !state.subscriptions.has(t.mid)).length;
    for (let i = free; i < unslotted; i++) {
      const transceiver = state.pc.addTransceiver(kind, { direction: 'recvonly' });
      if (kind === 'video') {
        preferVp8(transceiver);
      } else {
        // Chromium decodes received audio only while something plays it out.
        const player = new Audio();
        player.srcObject = new MediaStream([transceiver.receiver.track]);
        player.play().catch((e) => fail(`cannot play received audio: ${e.message}`));
        state.players.push(player);
      }
      transceiver.receiver.transform = newTransform('decrypt', kind);
    }
  }
}

async function offerOnce(generation) {
  const pc = state.pc;
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  const sources = {};
  for (const [transceiver, source] of state.published) {
    if (transceiver.mid !== null) {
      sources[transceiver.mid] = source;
    }
  }
  const publishedChanged = state.publishedChanged;
  state.publishedChanged = false;
  state.offers++;
  let answer;
  try {
    const offered = { type: 'media-offer', sdp: pc.localDescription.sdp, sources };
    if (state.region) {
      offered.region = state.region; // docs/protocol.md: where this client is, for the relay it is placed on
    }
    answer = await request(offered);
  } catch (e) {
    if (generation !== state.generation) {
      return; // the connection it was for is gone (media-restart)
    }
    state.publishedChanged = state.publishedChanged || publishedChanged;
    await pc.setLocalDescription({ type: 'rollback' });
    throw e;
  }
  if (generation !== state.generation) {
    note('dropped an answer meant for the connection before the media-restart');
    return;
  }
  await pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
  state.answers++;
  state.answered = true;
  state.subscriptions = new Map((answer.subscriptions ?? []).map((s) => [s.mid, s]));
  note(`media-answer ${JSON.stringify(answer.subscriptions)}`);
}

/** Offers until the subscriptions match the room's tracks; one offer at a time. */
async function negotiate() {
  if (!state.pc || state.pc.signalingState === 'closed') {
    return;
  }
  if (state.offering) {
    state.again = true;
    return;
  }
  clearTimeout(state.retryTimer);
  state.retryTimer = null;
  state.offering = true;
  const generation = state.generation;
  try {
    let rounds = 0;
    while (needsOffer() && generation === state.generation) {
      if (rounds++ >= 8) {
        fail(`subscriptions still differ from the room's tracks after ${rounds - 1} offers: `
          + `subscribed ${JSON.stringify([...subscribedKeys()])}, tracks ${JSON.stringify([...othersTracks().keys()])}`);
        break;
      }
      state.again = false;
      ensureSlots();
      await offerOnce(generation);
    }
  } catch (e) {
    if (generation !== state.generation) {
      note(`dropped a failure of the connection before the media-restart: ${e.message ?? e}`);
    } else if (e.code === 'media-unavailable' && state.retries++ < 60) {
      note(`media-offer: media-unavailable, retrying (${state.retries})`);
      state.retryTimer = setTimeout(negotiate, 500);
    } else {
      fail(String(e.message ?? e));
    }
  } finally {
    if (generation === state.generation) {
      state.offering = false;
    }
  }
  if (generation !== state.generation) {
    return; // the restart negotiates for the new connection
  }
  if (state.again && state.pc.signalingState !== 'closed') {
    state.again = false;
    negotiate();
  }
}

function newPeerConnection() {
  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
  pc.onconnectionstatechange = () => note(`connection ${pc.connectionState}`);
  return pc;
}

/**
 * media-restart (docs/protocol.md): a new RTCPeerConnection (the new relay has another DTLS
 * certificate), the same tracks published again with new encrypting transforms, no subscriptions
 * yet, and a fresh offer. Anything still pending for the old connection is dropped.
 */
function restartMedia(reason) {
  state.generation++;
  state.restarts.push({ reason, at: Date.now() });
  note(`media-restart ${reason}`);
  clearTimeout(state.retryTimer);
  state.retryTimer = null;
  const republish = [...state.published].map(([transceiver, source]) => ({ track: transceiver.sender.track, source }));
  finishHandover('another media-restart');
  if (state.pc && reason === 'relay-draining') {
    startHandover(state.pc, state.subscriptions, state.players);
  } else if (state.pc) {
    // A lost relay carries nothing: its connection closes at once, as the web app's does.
    state.pc.close();
    for (const player of state.players) {
      player.pause();
      player.srcObject = null;
    }
  }
  state.players = [];
  state.pc = newPeerConnection();
  state.published = new Map();
  state.subscriptions = new Map();
  state.answered = false;
  state.offering = false;
  state.again = false;
  state.retries = 0;
  for (const { track, source } of republish) {
    if (track) {
      const transceiver = publish(track, state.localStream, source);
      if (source === 'screen' && state.screen) {
        state.screen.transceiver = transceiver;
      }
    }
  }
  negotiate();
}

function sourceKey(subscription) {
  return `${subscription.participantId}/${subscription.source}`;
}

/**
 * Keeps the old connection playing after a media-restart: its subscriptions show (stats, the
 * decoding watch) for each participant and source until the new connection's track of the same
 * participant and source delivers media, read from getStats every 100 ms.
 */
function startHandover(pc, subscriptions, players) {
  const previous = { pc, subscriptions, players, ready: new Set(), startedAt: Date.now() };
  previous.timer = setInterval(() => pollHandover(previous), 100);
  previous.deadline = setTimeout(() => finishHandover(`no media from the new connection after ${HANDOVER_TIMEOUT_MS} ms`),
    HANDOVER_TIMEOUT_MS);
  pc.onconnectionstatechange = () => {
    note(`old connection ${pc.connectionState}`);
    if (pc.connectionState === 'failed') {
      finishHandover('the old connection failed');
    }
  };
  state.previous = previous;
}

/** The old subscriptions whose participant still publishes that source. */
function standIns(previous) {
  return [...previous.subscriptions.values()].filter((s) =>
    (state.roomTracks.get(s.participantId) ?? []).some((t) => t.source === s.source));
}

async function pollHandover(previous) {
  if (previous.polling || state.previous !== previous) {
    return;
  }
  previous.polling = true;
  try {
    let now = 0;
    let newest = -Infinity;
    (await previous.pc.getStats()).forEach((entry) => {
      if (entry.type === 'inbound-rtp') {
        now = Math.max(now, entry.timestamp);
        newest = Math.max(newest, entry.lastPacketReceivedTimestamp ?? -Infinity);
      }
    });
    if (now - newest >= SILENT_MS) {
      finishHandover(`the old connection received nothing for ${SILENT_MS} ms`);
      return;
    }
    const byMid = new Map();
    (await state.pc.getStats()).forEach((entry) => {
      if (entry.type === 'inbound-rtp') {
        byMid.set(entry.mid, entry);
      }
    });
    for (const subscription of state.subscriptions.values()) {
      const entry = byMid.get(subscription.mid);
      if (entry && (subscription.kind === 'video' ? entry.framesDecoded > 0 : entry.packetsReceived > 0)) {
        previous.ready.add(sourceKey(subscription));
      }
    }
    if (state.previous === previous && standIns(previous).every((s) => previous.ready.has(sourceKey(s)))) {
      finishHandover('the new connection delivers every track');
    }
  } catch (e) {
    note(`handover: no stats: ${e.message ?? e}`);
  } finally {
    previous.polling = false;
  }
}

/** Ends the handover, if one runs: the old connection and its audio players close. */
function finishHandover(why) {
  const previous = state.previous;
  if (!previous) {
    return;
  }
  state.previous = null;
  clearInterval(previous.timer);
  clearTimeout(previous.deadline);
  previous.pc.close();
  for (const player of previous.players) {
    player.pause();
    player.srcObject = null;
  }
  note(`handover done after ${Date.now() - previous.startedAt} ms: ${why}`);
}

/**
 * The camera's simulcast encodings (docs/protocol.md, "Simulcast"): RIDs q, h, f at a quarter, half
 * and full resolution, lowest first.
 */
const CAMERA_ENCODINGS = [
  { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { rid: 'f', scaleResolutionDownBy: 1, maxBitrate: 1_200_000 },
];

function publish(track, stream, source) {
  const init = { direction: 'sendonly', streams: [stream] };
  if (source === 'camera' && state.simulcast) {
    init.sendEncodings = CAMERA_ENCODINGS;
  }
  const transceiver = state.pc.addTransceiver(track, init);
  if (track.kind === 'video') {
    preferVp8(transceiver);
  }
  transceiver.sender.transform = newTransform('encrypt', track.kind);
  state.published.set(transceiver, source);
  state.publishedChanged = true;
  return transceiver;
}

function connect(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error(`cannot open ${url}`));
    ws.onmessage = onMessage;
    ws.onclose = (event) => note(`socket closed ${event.code}`);
  });
}

/** Connects, joins and publishes microphone and camera; resolves once joined. */
async function start({ signaling, roomId, token, key, onFailure, region, simulcast }) {
  state.key = key;
  state.region = region ?? null;
  state.simulcast = simulcast === true;
  state.onFailure = onFailure ?? 'drop';
  state.worker = new Worker('frame-crypto-worker.js');
  state.worker.onmessage = ({ data }) => {
    state.transforms.set(data.id, data);
    if (data.error) {
      fail(`transform ${data.id}: ${data.error}`);
    }
  };
  state.ws = await connect(`${signaling.replace(/^http/, 'ws')}/ws/v1`);
  const welcome = await request({ type: 'hello', v: 1, token });
  const joined = await request({ type: 'join', roomId });
  state.me = joined.you.participantId;
  for (const participant of joined.roster) {
    if (participant.participantId !== state.me) {
      state.roomTracks.set(participant.participantId, participant.tracks ?? []);
    }
  }
  const media = await navigator.mediaDevices.getUserMedia({
    audio: true, video: { width: 640, height: 480, frameRate: 30 },
  });
  state.localStream = media;
  state.pc = newPeerConnection();
  publish(media.getAudioTracks()[0], media, 'microphone');
  publish(media.getVideoTracks()[0], media, 'camera');
  negotiate();
  return { participantId: state.me, userId: welcome.userId, roster: joined.roster.map((p) => p.participantId) };
}

/** Waits until the current negotiation (if any) is over and nothing needs offering. */
async function settled(timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while ((state.offering || needsOffer()) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !state.offering && !needsOffer();
}

/** Publishes a fake display stream (an animated canvas) as a screen share. */
async function startScreen() {
  const canvas = document.getElementById('screen');
  const context = canvas.getContext('2d');
  let tick = 0;
  const draw = () => {
    tick++;
    context.fillStyle = `hsl(${(tick * 7) % 360}, 60%, 30%)`;
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.fillStyle = '#fff';
    context.font = '48px sans-serif';
    context.fillText(`slide ${tick}`, 40 + (tick % 200), 180);
  };
  draw();
  const timer = setInterval(draw, 40);
  const stream = canvas.captureStream(25);
  const transceiver = publish(stream.getVideoTracks()[0], stream, 'screen');
  state.screen = { timer, transceiver };
  await negotiate();
  await settled();
  return { mid: transceiver.mid };
}

/**
 * Tells the relay how large this page shows others' video (docs/protocol.md, media-layout):
 * {participantId: {width, height}} for their cameras, mapped to the mids of the slots carrying them.
 */
function layout(sizes) {
  const tracks = {};
  for (const subscription of state.subscriptions.values()) {
    const size = sizes[subscription.participantId];
    if (size && subscription.kind === 'video' && subscription.source === 'camera') {
      tracks[subscription.mid] = size;
    }
  }
  send({ type: 'media-layout', tracks });
  return { tracks };
}

async function leave() {
  const left = await request({ type: 'leave' });
  finishHandover('left');
  state.pc?.close();
  state.ws.close(1000);
  return { left: left.type };
}

/** The a=msid of each receiving section of the relay's answer, by mid. */
function remoteMsids() {
  const msids = {};
  const sdp = state.pc?.remoteDescription?.sdp ?? '';
  for (const section of sdp.split(/\r\nm=/).slice(1)) {
    const mid = /\r\na=mid:(\S+)/.exec(section);
    const msid = /\r\na=msid:(\S+) (\S+)/.exec(section);
    if (mid && msid) {
      msids[mid[1]] = `${msid[1]} ${msid[2]}`;
    }
  }
  return msids;
}

/** What this page receives and sends now, from getStats. */
async function stats() {
  if (!state.pc || state.pc.signalingState === 'closed') {
    return { participantId: state.me, closed: true, errors: state.errors };
  }
  const report = await state.pc.getStats();
  const inboundByMid = new Map();
  const outbound = [];
  let transport = null;
  let availableOutgoingBitrate = null;
  for (const entry of report.values()) {
    if (entry.type === 'inbound-rtp') {
      const previous = inboundByMid.get(entry.mid);
      if (!previous || (entry.lastPacketReceivedTimestamp ?? 0) > (previous.lastPacketReceivedTimestamp ?? 0)) {
        inboundByMid.set(entry.mid, entry);
      }
    } else if (entry.type === 'outbound-rtp') {
      outbound.push({
        mid: entry.mid, kind: entry.kind, source: sourceOfMid(entry.mid), ssrc: entry.ssrc, rid: entry.rid ?? null,
        packetsSent: entry.packetsSent, framesEncoded: entry.framesEncoded, pliCount: entry.pliCount,
        nackCount: entry.nackCount ?? 0, retransmittedPacketsSent: entry.retransmittedPacketsSent ?? 0,
        frameWidth: entry.frameWidth ?? 0, active: entry.active ?? null,
        qualityLimitationReason: entry.qualityLimitationReason ?? null,
        targetBitrate: entry.targetBitrate ?? 0, bytesSent: entry.bytesSent ?? 0,
      });
    } else if (entry.type === 'transport') {
      transport = { dtlsState: entry.dtlsState, iceState: entry.iceState, bytesReceived: entry.bytesReceived };
    } else if (entry.type === 'candidate-pair' && entry.nominated) {
      availableOutgoingBitrate = entry.availableOutgoingBitrate ?? null;
    }
  }
  const msids = remoteMsids();
  const inbound = [];
  for (const subscription of state.subscriptions.values()) {
    const entry = inboundByMid.get(subscription.mid) ?? {};
    inbound.push({
      mid: subscription.mid,
      kind: subscription.kind,
      participantId: subscription.participantId,
      trackId: subscription.trackId,
      source: subscription.source,
      msid: msids[subscription.mid] ?? null,
      packetsReceived: entry.packetsReceived ?? 0,
      bytesReceived: entry.bytesReceived ?? 0,
      framesDecoded: entry.framesDecoded ?? 0,
      keyFramesDecoded: entry.keyFramesDecoded ?? 0,
      frameWidth: entry.frameWidth ?? 0,
      frameHeight: entry.frameHeight ?? 0,
      totalAudioEnergy: entry.totalAudioEnergy ?? 0,
      pliCount: entry.pliCount ?? 0,
      nackCount: entry.nackCount ?? 0,
      packetsLost: entry.packetsLost ?? 0,
      freezeCount: entry.freezeCount ?? 0,
      totalFreezesDuration: entry.totalFreezesDuration ?? 0,
    });
  }
  return {
    participantId: state.me,
    at: Date.now(),
    connectionState: state.pc.connectionState,
    transport,
    availableOutgoingBitrate,
    inbound,
    outbound,
    transforms: [...state.transforms.values()],
    offers: state.offers,
    answers: state.answers,
    joins: state.joins,
    restarts: state.restarts,
    settled: !state.offering && !needsOffer(),
    roomTracks: Object.fromEntries(state.roomTracks),
    dominantSpeakers: state.dominantSpeakers.slice(-5),
    errors: state.errors,
  };
}

/**
 * The page's picture, sampled every ~50 ms from `startWatch()` on: for each other participant's
 * camera, whether the connection that shows it decoded a new frame since the last sample. The
 * largest time between two samples that saw one is the longest window without a new picture of
 * that camera (`watchedGaps()`), whatever the connections did meanwhile (a media-restart).
 */
const watch = { running: false, tracks: new Map() };

/**
 * The connection and subscriptions that show each other participant's camera now: key -> {pc, mid}.
 * During a handover the old connection's, until the new one decoded a frame of it.
 */
function shownCameras() {
  const shown = new Map();
  const previous = state.previous;
  if (previous) {
    for (const subscription of standIns(previous)) {
      if (subscription.kind === 'video' && subscription.source === 'camera' && !previous.ready.has(sourceKey(subscription))) {
        shown.set(subscription.participantId, { pc: previous.pc, mid: subscription.mid });
      }
    }
  }
  for (const subscription of state.subscriptions.values()) {
    if (subscription.kind === 'video' && subscription.source === 'camera' && !shown.has(subscription.participantId)) {
      shown.set(subscription.participantId, { pc: state.pc, mid: subscription.mid });
    }
  }
  return shown;
}

async function sampleWatch() {
  const shown = shownCameras();
  const reports = new Map();
  for (const { pc } of shown.values()) {
    if (!reports.has(pc) && pc.signalingState !== 'closed') {
      reports.set(pc, await pc.getStats());
    }
  }
  const at = Date.now();
  for (const [participantId, { pc, mid }] of shown) {
    let frames = 0;
    reports.get(pc)?.forEach((entry) => {
      if (entry.type === 'inbound-rtp' && entry.mid === mid) {
        frames = Math.max(frames, entry.framesDecoded ?? 0);
      }
    });
    const track = watch.tracks.get(participantId);
    if (!track) {
      watch.tracks.set(participantId, { pc, frames, lastRiseAt: at, maxGapMs: 0, samples: 1 });
      continue;
    }
    track.samples++;
    if ((track.pc === pc && frames > track.frames) || (track.pc !== pc && frames > 0)) {
      track.maxGapMs = Math.max(track.maxGapMs, at - track.lastRiseAt);
      track.lastRiseAt = at;
    }
    track.pc = pc;
    track.frames = frames;
  }
}

function startWatch() {
  watch.running = true;
  watch.tracks = new Map();
  const loop = async () => {
    if (!watch.running) {
      return;
    }
    try {
      await sampleWatch();
    } catch (e) {
      fail(`decoding watch: ${e.message ?? e}`);
    }
    setTimeout(loop, 50);
  };
  loop();
  return {};
}

/** Stops the watch: per camera the longest window without a new frame, in ms (up to now). */
function watchedGaps() {
  watch.running = false;
  const now = Date.now();
  const tracks = {};
  for (const [participantId, track] of watch.tracks) {
    tracks[participantId] = { maxGapMs: Math.max(track.maxGapMs, now - track.lastRiseAt), samples: track.samples };
  }
  return { tracks };
}

function sourceOfMid(mid) {
  for (const [transceiver, source] of state.published) {
    if (transceiver.mid === mid) {
      return source;
    }
  }
  return null;
}

window.parley = {
  start, startScreen, leave, stats, layout, startWatch, watchedGaps,
  descriptions: () => ({ local: state.pc?.localDescription?.sdp ?? null, remote: state.pc?.remoteDescription?.sdp ?? null }), settled, events: () => state.events, errors: () => state.errors,
};
window.parleyReady = true;
