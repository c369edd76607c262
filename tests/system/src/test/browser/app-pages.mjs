// What the web app's drivers (app-driver.mjs, app-relay-driver.mjs) share: headless Chromium with
// fake devices, one browser context per person, Keycloak's sign-in form, the app's test hooks
// (window.parley, documented in clients/web/src/main.tsx) and what each page decodes.
import { chromium } from 'playwright-core';
import { createInterface } from 'node:readline';

export const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required',
];
export const PATIENCE = 30_000;

export function log(text) {
  process.stderr.write(`${new Date().toISOString()} ${text}\n`);
}

/** One JSON line on stdout per step: what the Java test reads and asserts. */
export function report(step, fields) {
  process.stdout.write(`${JSON.stringify({ step, ...fields })}\n`);
}

/** Headless Chromium with fake devices; `extra` arguments replace those of the same switch in {@link ARGS}. */
export async function launch(extra = []) {
  const switchOf = (arg) => arg.split('=')[0];
  const args = [...ARGS.filter((arg) => !extra.some((e) => switchOf(e) === switchOf(arg))), ...extra];
  return chromium.launch({ executablePath: process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium', headless: true, args });
}

/** A page in a browser context of its own (one person), logging its console to stderr. */
export async function newPage(browser, name, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'], viewport });
  const page = await context.newPage();
  page.on('console', (message) => log(`[${name}] ${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => log(`[${name}] page error: ${error.message}`));
  return page;
}

/** Keycloak's sign-in form, reached by a redirect from the app. */
export async function signInAtKeycloak(page, user) {
  await page.waitForURL(/\/realms\/parley\/protocol\/openid-connect\/auth/, { timeout: PATIENCE });
  await page.fill('#username', user.username);
  await page.fill('#password', user.password);
  await page.click('#kc-login');
}

export async function waitForPhase(page, phase) {
  try {
    await page.waitForFunction((wanted) => window.parley?.phase === wanted, phase, { timeout: PATIENCE });
  } catch (error) {
    const seen = await page.evaluate(() => ({ url: location.href, phase: window.parley?.phase,
      error: window.parley?.call?.state.error.value ?? null, text: document.body.innerText.slice(0, 600) }))
      .catch((why) => String(why));
    throw new Error(`not '${phase}' within ${PATIENCE} ms: the page shows ${JSON.stringify(seen)}`, { cause: error });
  }
}

/**
 * Joins the call behind an invite `link` through the app's screens: a signed-in person
 * ({username, password}) through Keycloak, anyone else as a guest with `name`. Ends in the call.
 */
export async function joinByLink(page, link, person) {
  await page.goto(link);
  if (person.username) {
    await page.getByRole('button', { name: 'Sign in to join' }).click();
    await signInAtKeycloak(page, person);
    await page.getByRole('button', { name: /^Join now$/ }).click();
  } else {
    await page.getByLabel('Your name').fill(person.name);
    await page.getByRole('button', { name: 'Join as guest' }).click();
  }
  await waitForPhase(page, 'in-call');
}

/** Inbound video frames decoded and audio packets received, per remote participant. */
export async function media(page) {
  return page.evaluate(async () => {
    const call = window.parley.call;
    const pc = call?.peerConnection;
    if (!pc) return {};
    const remote = call.state.remote.value;
    const stats = await pc.getStats();
    const out = {};
    stats.forEach((report) => {
      if (report.type !== 'inbound-rtp') return;
      const track = remote.find((r) => r.mid === report.mid);
      if (!track) return;
      const entry = out[track.participantId] ??= { video: 0, audio: 0, audioEnergy: 0, packets: 0, width: 0 };
      if (report.kind === 'video' && track.source === 'camera') {
        entry.video = report.framesDecoded ?? 0;
        entry.packets = report.packetsReceived ?? 0;
        entry.width = report.frameWidth ?? 0;
      }
      if (report.kind === 'audio') {
        entry.audio = report.packetsReceived ?? 0;
        entry.audioEnergy = report.totalAudioEnergy ?? 0;
      }
    });
    return out;
  });
}

/**
 * What a page's video does, to tell why it does not flow: each sent camera stream (rid, size,
 * frames encoded and sent, what limits its quality), each received video (packets, frames
 * received, decoded and dropped, keyframes, PLIs, freezes), and the SFrame worker's counters.
 */
export async function videoReport(page) {
  return page.evaluate(async () => {
    const call = window.parley.call;
    const pc = call?.peerConnection;
    if (!pc) return null;
    const remote = call.state.remote.value;
    const out = { sent: [], received: [], frames: null };
    (await pc.getStats()).forEach((r) => {
      if (r.type === 'outbound-rtp' && r.kind === 'video') {
        out.sent.push({ rid: r.rid, width: r.frameWidth, encoded: r.framesEncoded, sent: r.framesSent,
          packets: r.packetsSent, limit: r.qualityLimitationReason, active: r.active, target: r.targetBitrate });
      }
      if (r.type === 'inbound-rtp' && r.kind === 'video') {
        const track = remote.find((t) => t.mid === r.mid);
        out.received.push({ from: track?.participantId ?? null, mid: r.mid, packets: r.packetsReceived,
          lost: r.packetsLost, received: r.framesReceived, decoded: r.framesDecoded, dropped: r.framesDropped,
          keyframes: r.keyFramesDecoded, plis: r.pliCount, nacks: r.nackCount, freezes: r.freezeCount, width: r.frameWidth });
      }
      if (r.type === 'candidate-pair' && r.nominated) {
        out.available = r.availableOutgoingBitrate;
      }
    });
    out.frames = await call.diagnostics.frameCounters().catch((error) => String(error));
    return out;
  });
}

/** Waits until `page` decodes video and receives audio from each of `others`, rising. */
export async function flowing(page, others, timeoutMs = PATIENCE) {
  const deadline = Date.now() + timeoutMs;
  let before = await media(page);
  while (Date.now() < deadline) {
    await page.waitForTimeout(700);
    const after = await media(page);
    const ok = others.every((id) => after[id] && before[id]
      && after[id].video > before[id].video && after[id].audio > before[id].audio);
    if (ok) return { ok: true, after };
    before = after;
  }
  return { ok: false, after: before };
}

/**
 * Waits until every page is in the same MLS epoch with the same security code: the group has
 * everyone, so every page holds every sender's keys. Answers the epoch.
 */
export async function sameGroup(pages, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let epochs = [];
  let codes = [];
  while (Date.now() < deadline) {
    epochs = await Promise.all(pages.map((page) => epoch(page)));
    codes = await Promise.all(pages.map((page) => securityCode(page)));
    if (codes[0] && codes.every((c) => c === codes[0]) && epochs.every((e) => e === epochs[0])) return epochs[0];
    await pages[0].waitForTimeout(250);
  }
  throw new Error(`the pages did not reach one MLS epoch within ${timeoutMs} ms: epochs ${epochs}, codes ${codes}`);
}

export const selfId = (page) => page.evaluate(() => window.parley.call.state.selfId.value);
export const securityCode = (page) => page.evaluate(() => window.parley.call.state.group.value?.securityCode ?? null);
export const epoch = (page) => page.evaluate(() => window.parley.call.state.group.value?.epoch ?? null);

/** Lines from the Java test on stdin, one at a time: `await next()` gives the next line. */
export function commands() {
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  return async () => {
    const { value, done } = await lines.next();
    if (done) {
      throw new Error('the test closed stdin');
    }
    return value;
  };
}
