// Drives the real web app (clients/web, served by signaling) in headless Chromium for WebAppIT:
// people sign in with Keycloak, create a meeting, join by its link (a guest through the lobby),
// see and hear each other, compare the security code, chat, leave; a page forced out of its MLS
// state stops decoding and recovers by rejoining. Prints one JSON object per step on stdout
// ({step, ok, ...figures}); the Java test asserts them. Logs go to stderr.
//
// Usage: node app-driver.mjs '<json>' with {app, screenshot, chatText,
//   hosts: [{name, username, password}], guest: {name}}
import {
  PATIENCE, epoch, flowing, launch, media, newPage as openPage, report, securityCode, selfId, signInAtKeycloak,
  waitForPhase,
} from './app-pages.mjs';

const config = JSON.parse(process.argv[2]);
const browser = await launch();
const newPage = (name) => openPage(browser, name);

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
