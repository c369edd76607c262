// Drives the real web app (clients/web, served by signaling) in headless Chromium for WebAppIT:
// people sign in with Keycloak, create a meeting, join by its link (a guest through the lobby),
// see and hear each other, compare the security code, chat, leave; a page forced out of its MLS
// state stops decoding and recovers by rejoining. Prints one JSON object per step on stdout
// ({step, ok, ...figures}); the Java test asserts them. Logs go to stderr.
//
// Usage: node app-driver.mjs '<json>' with {app, screenshot, chatText,
//   hosts: [{name, username, password}], guest: {name}}
import { chromium } from 'playwright-core';

const config = JSON.parse(process.argv[2]);
const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required',
];
const PATIENCE = 30_000;

function log(text) {
  process.stderr.write(`${new Date().toISOString()} ${text}\n`);
}

function report(step, fields) {
  process.stdout.write(`${JSON.stringify({ step, ...fields })}\n`);
}

const browser = await chromium.launch({ executablePath: process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium',
  headless: true, args: ARGS });
const pages = new Map();

async function newPage(name) {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'],
    viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on('console', (message) => log(`[${name}] ${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => log(`[${name}] page error: ${error.message}`));
  pages.set(name, page);
  return page;
}

/** Keycloak's sign-in form, reached by a redirect from the app. */
async function signInAtKeycloak(page, user) {
  await page.waitForURL(/\/realms\/parley\/protocol\/openid-connect\/auth/, { timeout: PATIENCE });
  await page.fill('#username', user.username);
  await page.fill('#password', user.password);
  await page.click('#kc-login');
}

async function waitForPhase(page, phase) {
  await page.waitForFunction((wanted) => window.parley?.phase === wanted, phase, { timeout: PATIENCE });
}

/** Inbound video frames decoded and audio packets received, per remote participant. */
async function media(page) {
  return page.evaluate(async () => {
    const call = window.parley.call;
    const pc = call?.peerConnection;
    if (!pc) return {};
    const byMid = new Map();
    for (const transceiver of pc.getTransceivers()) {
      byMid.set(transceiver.mid, transceiver);
    }
    const remote = call.state.remote.value;
    const stats = await pc.getStats();
    const out = {};
    stats.forEach((report) => {
      if (report.type !== 'inbound-rtp') return;
      const track = remote.find((r) => r.mid === report.mid);
      if (!track) return;
      const entry = out[track.participantId] ??= { video: 0, audio: 0, audioEnergy: 0 };
      if (report.kind === 'video' && track.source === 'camera') entry.video = report.framesDecoded ?? 0;
      if (report.kind === 'audio') {
        entry.audio = report.packetsReceived ?? 0;
        entry.audioEnergy = report.totalAudioEnergy ?? 0;
      }
    });
    return out;
  });
}

/** Waits until {@code page} decodes video and receives audio from each of {@code others}, rising. */
async function flowing(page, others, timeoutMs = PATIENCE) {
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

const read = (page, expression) => page.evaluate(expression);
const selfId = (page) => read(page, () => window.parley.call.state.selfId.value);
const securityCode = (page) => read(page, () => window.parley.call.state.group.value?.securityCode ?? null);
const epoch = (page) => read(page, () => window.parley.call.state.group.value?.epoch ?? null);

async function main() {
  const [aliceUser, bobUser] = config.hosts;
  const alice = await newPage('alice');
  const opened = Date.now();
  await alice.goto(`${config.app}/`);
  await alice.getByRole('button', { name: 'Sign in to start a meeting' }).click();
  await signInAtKeycloak(alice, aliceUser);
  await alice.getByRole('button', { name: /New meeting/ }).click();
  const link = await alice.locator('input[readonly]').first().inputValue();
  report('meeting', { ok: link.includes('/join/'), link });
  await alice.getByRole('button', { name: /Join now/ }).click();
  await alice.getByRole('button', { name: /^Join now$/ }).click();
  await waitForPhase(alice, 'in-call');

  const bob = await newPage('bob');
  await bob.goto(link);
  await bob.getByRole('button', { name: 'Sign in to join' }).click();
  await signInAtKeycloak(bob, bobUser);
  await bob.getByRole('button', { name: /^Join now$/ }).click();
  await waitForPhase(bob, 'in-call');

  const guest = await newPage('guest');
  await guest.goto(link);
  await guest.getByLabel('Your name').fill(config.guest.name);
  await guest.getByRole('button', { name: 'Join as guest' }).click();
  await waitForPhase(guest, 'lobby');
  report('lobby', { ok: true });
  await alice.waitForFunction((name) => window.parley.call.state.lobby.value.some((e) => e.displayName === name),
    config.guest.name, { timeout: PATIENCE });
  await alice.evaluate((name) => {
    const entry = window.parley.call.state.lobby.value.find((e) => e.displayName === name);
    window.parley.call.host('admit', { userId: entry.userId });
  }, config.guest.name);
  await waitForPhase(guest, 'in-call');

  const everyone = { alice, bob, guest };
  const ids = {};
  for (const [name, page] of Object.entries(everyone)) ids[name] = await selfId(page);
  for (const [name, page] of Object.entries(everyone)) {
    const others = Object.entries(ids).filter(([other]) => other !== name).map(([, id]) => id);
    const result = await flowing(page, others);
    report('three-way', { page: name, ok: result.ok, media: result.after });
  }

  // The same security code on all three pages, once they are at the same epoch.
  const deadline = Date.now() + PATIENCE;
  let codes = [];
  while (Date.now() < deadline) {
    codes = await Promise.all(Object.values(everyone).map((page) => securityCode(page)));
    const epochs = await Promise.all(Object.values(everyone).map((page) => epoch(page)));
    if (codes[0] && codes.every((c) => c === codes[0]) && epochs.every((e) => e === epochs[0])) break;
    await alice.waitForTimeout(200);
  }
  report('security-code', { ok: codes[0] !== null && codes.every((c) => c === codes[0]), codes });
  if (config.screenshot) {
    // The call view as people see it: after the join toasts have gone.
    await alice.waitForFunction(() => document.querySelector('.toast') === null, null, { timeout: 15_000 })
      .catch(() => {});
    await alice.screenshot({ path: config.screenshot });
  }

  // Chat from alice reaches bob and the guest.
  await alice.evaluate((text) => window.parley.call.sendChat(text), config.chatText);
  const received = await Promise.all([bob, guest].map((page) => page.waitForFunction(
    (text) => window.parley.call.state.chat.value.some((m) => m.text === text), config.chatText,
    { timeout: PATIENCE }).then(() => true, () => false)));
  report('chat', { ok: received.every(Boolean), received });

  // Bob turns his microphone off: the others learn it end to end (the relay cannot tell).
  await bob.evaluate(() => window.parley.call.setMicrophone(false));
  const mutedSeen = await Promise.all([alice, guest].map((page) => page.waitForFunction(
    (id) => window.parley.call.state.mediaStates.value.get(id)?.microphone === false, ids.bob,
    { timeout: PATIENCE }).then(() => true, () => false)));
  await bob.evaluate(() => window.parley.call.setMicrophone(true));
  report('mute', { ok: mutedSeen.every(Boolean), seen: mutedSeen });

  // The guest leaves: the code changes on both other pages within a second, media continues.
  const before = await securityCode(alice);
  await guest.getByRole('button', { name: /Leave/ }).first().click();
  const left = Date.now();
  const changed = await Promise.all([alice, bob].map((page) => page.waitForFunction(
    (old) => { const c = window.parley.call.state.group.value?.securityCode; return c && c !== old; }, before,
    { timeout: PATIENCE }).then(() => Date.now() - left, () => null)));
  const after = await Promise.all([alice, bob].map((page) => securityCode(page)));
  report('leave', { ok: changed.every((ms) => ms !== null), codeChangedMs: changed, same: after[0] === after[1] });
  const continuing = await Promise.all([[alice, ids.bob], [bob, ids.alice]].map(([page, other]) => flowing(page, [other])));
  report('after-leave', { ok: continuing.every((r) => r.ok) });

  // Bob's MLS state is forced out of sync: his decoding stops, frames are dropped, then he rejoins.
  const decoded = async (page, other) => (await media(page))[other]?.video ?? 0;
  await bob.evaluate(() => window.parley.call.diagnostics.forceDesync());
  await bob.waitForTimeout(1500);
  const stalledFrom = await decoded(bob, ids.alice);
  await bob.waitForTimeout(1500);
  const stalledTo = await decoded(bob, ids.alice);
  const drops = await bob.evaluate(async () => {
    const counters = await window.parley.call.diagnostics.frameCounters();
    return counters.filter((t) => t.role === 'decrypt')
      .reduce((sum, t) => sum + Object.values(t.dropped).reduce((a, b) => a + b, 0), 0);
  });
  report('desync', { ok: stalledTo - stalledFrom <= 2 && drops > 0, decodedWhileDesynced: stalledTo - stalledFrom, drops });
  const recovered = await flowing(bob, [ids.alice], 45_000);
  const agreed = (await securityCode(alice)) === (await securityCode(bob));
  report('recovered', { ok: recovered.ok, sameCode: agreed });
  report('done', { ok: true, totalMs: Date.now() - opened });
}

try {
  await main();
} catch (error) {
  report('error', { ok: false, error: String(error?.stack ?? error) });
  process.exitCode = 1;
} finally {
  await browser.close();
}
