// Drives headless Chromium pages (call.html) in a Parley call for BrowserCallIT, one JSON command per
// stdin line, one JSON answer per stdout line ({ok: true, ...} or {ok: false, error}). Logs go to stderr.
//
// Commands:
//   {op: "open", signaling, roomId, pages: [{name, token, key, onFailure?, region?}]}
//       opens one page per entry (each in its own browser context, with Chromium's fake camera and
//       microphone), joins them all to the room and waits until each has its first media-answer.
//   {op: "flowing", expect: {page: [{participantId, kind, source}]}, timeoutMs, gapMs?}
//       samples getStats until, between two samples at least gapMs apart, every expected inbound
//       track rose (video: framesDecoded; audio: packetsReceived, with some audio energy), or the
//       deadline passes; with exact, also until each page receives nothing but the expected tracks.
//       Answers {met, before, after, waitedMs, missing}.
//   {op: "recovery", expect: {page: [{participantId, kind: "video", source}]}, sinceMs, timeoutMs}
//       after a media-restart: when each expected video track first decoded again on the page's new
//       connection (and kept decoding), in ms after sinceMs. Answers {met, firstDecoded, recoveredMs, after}.
//   {op: "watch", pages: [names]}             each page samples, every ~50 ms, whether the connection
//       showing each other participant's camera decoded a new frame
//   {op: "gaps", pages: [names]}              stops the watch: per page and camera the longest window
//       without a new frame {page: {tracks: {participantId: {maxGapMs, samples}}}}
//   {op: "stats", pages: [names]}             one getStats sample per page
//   {op: "screen", page}                      the page shares a fake display (a canvas stream)
//   {op: "leave", page}                       the page leaves the call and closes
//   {op: "close"}                             closes the browser and exits
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIRECTORY = dirname(fileURLToPath(import.meta.url));
const STATIC = new Map([
  ['/call.html', 'text/html; charset=utf-8'],
  ['/call.js', 'text/javascript; charset=utf-8'],
  ['/frame-crypto-worker.js', 'text/javascript; charset=utf-8'],
]);
const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required',
  // libwebrtc sends at most two simulcast streams of a picture smaller than 960x540; the fake camera
  // is 640x480, and the simulcast test wants all three (160, 320 and 640 wide).
  '--force-fieldtrials=WebRTC-LegacySimulcastLayerLimit/Disabled/',
];

function log(text) {
  process.stderr.write(`${new Date().toISOString()} ${text}\n`);
}

const server = createServer(async (request, response) => {
  const path = new URL(request.url, 'http://127.0.0.1').pathname;
  const type = STATIC.get(path);
  if (!type) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
  response.end(await readFile(join(DIRECTORY, path.slice(1))));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ARGS,
});
log(`chromium ${browser.version()}, pages from ${origin}`);

/** name -> {context, page} */
const pages = new Map();

function page(name) {
  const entry = pages.get(name);
  if (!entry) {
    throw new Error(`no page '${name}'`);
  }
  return entry.page;
}

async function open({ signaling, roomId, pages: wanted }) {
  const opened = await Promise.all(wanted.map(async (spec) => {
    const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
    const tab = await context.newPage();
    tab.on('console', (message) => log(`[${spec.name}] ${message.type()}: ${message.text()}`));
    tab.on('pageerror', (error) => log(`[${spec.name}] page error: ${error.message}`));
    pages.set(spec.name, { context, page: tab });
    await tab.goto(`${origin}/call.html`);
    await tab.waitForFunction(() => window.parleyReady === true);
    return [spec, tab];
  }));
  const result = {};
  for (const [spec, tab] of opened) {
    // One after another, so the roster order (and each join's renegotiation) is the test's.
    result[spec.name] = await tab.evaluate((options) => window.parley.start(options),
      { signaling, roomId, token: spec.token, key: spec.key, onFailure: spec.onFailure, region: spec.region,
        simulcast: spec.simulcast });
  }
  for (const [spec, tab] of opened) {
    result[spec.name].settled = await tab.evaluate(() => window.parley.settled(15000));
  }
  return { pages: result };
}

async function sample(names) {
  const snapshot = {};
  await Promise.all(names.map(async (name) => {
    snapshot[name] = await page(name).evaluate(() => window.parley.stats());
  }));
  return snapshot;
}

function find(stats, expected) {
  return (stats?.inbound ?? []).find((track) => track.participantId === expected.participantId
    && track.kind === expected.kind && track.source === expected.source);
}

/** What did not rise from before to after: [{page, participantId, kind, source, before, after}]. */
function notRising(expect, before, after, exact) {
  const missing = [];
  for (const [name, tracks] of Object.entries(expect)) {
    for (const expected of tracks) {
      const was = find(before[name], expected);
      const now = find(after[name], expected);
      const rose = was && now && (expected.kind === 'video'
        ? now.framesDecoded > was.framesDecoded
        : now.packetsReceived > was.packetsReceived && now.totalAudioEnergy > 0);
      if (!rose) {
        missing.push({ page: name, ...expected, before: was ?? null, after: now ?? null });
      }
    }
    if (exact) {
      const unexpected = (after[name]?.inbound ?? []).filter((track) => !tracks.some((expected) =>
        expected.participantId === track.participantId && expected.kind === track.kind && expected.source === track.source));
      if (unexpected.length > 0) {
        missing.push({ page: name, unexpected });
      }
    }
  }
  return missing;
}

async function flowing({ expect, timeoutMs, gapMs = 600, exact = false }) {
  const names = Object.keys(expect);
  const started = Date.now();
  const deadline = started + timeoutMs;
  let before = await sample(names);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    const after = await sample(names);
    const since = Object.values(after)[0].at - Object.values(before)[0].at;
    if (since < gapMs && Date.now() < deadline) {
      continue;
    }
    const missing = notRising(expect, before, after, exact);
    if (missing.length === 0 || Date.now() >= deadline) {
      return { met: missing.length === 0, waitedMs: Date.now() - started, before, after, missing };
    }
    before = after;
  }
}

/**
 * After a media-restart: samples getStats every ~100 ms until every expected video track decodes
 * on the page's new connection (framesDecoded above 0 once the page has restarted) and has risen
 * in a later sample, or the deadline passes. Answers, per page and track, when it first decoded,
 * in ms after `sinceMs` (epoch ms, e.g. the moment the relay was killed), and the largest.
 */
async function recovery({ expect, sinceMs, timeoutMs }) {
  const names = Object.keys(expect);
  const deadline = Date.now() + timeoutMs;
  const first = {};
  let last;
  for (;;) {
    last = await sample(names);
    let pending = 0;
    for (const name of names) {
      first[name] ??= {};
      const stats = last[name];
      for (const expected of expect[name]) {
        const key = expected.participantId;
        const now = find(stats, expected);
        const seen = first[name][key];
        if (seen && seen.confirmed) {
          continue;
        }
        if (!seen) {
          if ((stats?.restarts ?? []).length > 0 && now && now.framesDecoded > 0) {
            first[name][key] = { atMs: stats.at - sinceMs, frames: now.framesDecoded, confirmed: false };
          }
          pending++;
        } else if (now && now.framesDecoded > seen.frames) {
          seen.confirmed = true;
        } else {
          pending++;
        }
      }
    }
    if (pending === 0 || Date.now() >= deadline) {
      const times = Object.values(first).flatMap((tracks) => Object.values(tracks).map((track) => track.atMs));
      return { met: pending === 0, firstDecoded: first, recoveredMs: Math.max(...times, -1), after: last };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function watchDecoding({ pages: names }) {
  await Promise.all(names.map((name) => page(name).evaluate(() => window.parley.startWatch())));
  return {};
}

async function gaps({ pages: names }) {
  const result = {};
  await Promise.all(names.map(async (name) => {
    result[name] = await page(name).evaluate(() => window.parley.watchedGaps());
  }));
  return { gaps: result };
}

async function screen({ page: name }) {
  return page(name).evaluate(() => window.parley.startScreen());
}

async function leave({ page: name }) {
  const result = await page(name).evaluate(() => window.parley.leave());
  const { context } = pages.get(name);
  pages.delete(name);
  await context.close();
  return result;
}

async function descriptions({ page: name }) {
  return page(name).evaluate(() => window.parley.descriptions());
}

async function layout({ page: name, sizes }) {
  return page(name).evaluate((given) => window.parley.layout(given), sizes);
}

async function events({ pages: names }) {
  const result = {};
  for (const name of names) {
    result[name] = await page(name).evaluate(() => window.parley.events());
  }
  return { events: result };
}

async function close() {
  await browser.close();
  server.close();
  return {};
}

const COMMANDS = {
  open, flowing, recovery, stats: async ({ pages: names }) => ({ stats: await sample(names) }), screen, leave, events,
  watch: watchDecoding, gaps,
  layout, descriptions, close,
};

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) {
    continue;
  }
  let command;
  let answer;
  try {
    command = JSON.parse(line);
    const handler = COMMANDS[command.op];
    if (!handler) {
      throw new Error(`unknown op '${command.op}'`);
    }
    log(`> ${command.op}`);
    answer = { ok: true, ...(await handler(command)) };
  } catch (e) {
    log(`! ${command?.op}: ${e.stack ?? e}`);
    answer = { ok: false, error: String(e.message ?? e) };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
  if (command?.op === 'close') {
    break;
  }
}
await browser.close().catch(() => {});
server.close();
process.exit(0);
