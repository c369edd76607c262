// The web app's join latency (issue 8's benchmark), against a running Parley (`make run`):
// alice signs in, creates a meeting without a lobby and joins it, publishing the fake camera; then,
// run after run, a new guest opens the invite link, types a name and joins. Measured per run:
// from opening the link to the first decoded frame of alice's video, and from the click on "Join"
// to that frame. Prints each run and the p50/p90/max; --runs=N (default 10).
//
// Usage: node bench-join.mjs [--app=http://127.0.0.1:8080] [--runs=10]
import { chromium } from 'playwright-core';

const options = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const app = options.app ?? 'http://127.0.0.1:8080';
const runs = Number(options.runs ?? 10);
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream', '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required'];

const browser = await chromium.launch({ executablePath: process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ARGS });
const context = () => browser.newContext({ permissions: ['camera', 'microphone'] });

const alice = await (await context()).newPage();
await alice.goto(`${app}/`);
await alice.getByRole('button', { name: 'Sign in to start a meeting' }).click();
await alice.waitForURL(/openid-connect\/auth/);
await alice.fill('#username', 'alice');
await alice.fill('#password', 'alice-pw');
await alice.click('#kc-login');
await alice.getByText('Meeting options').click();
await alice.getByLabel(/Guests wait in a lobby/).uncheck();
await alice.getByRole('button', { name: /New meeting/ }).click();
const link = await alice.locator('input[readonly]').first().inputValue();
await alice.getByRole('button', { name: /Join now/ }).click();
await alice.getByRole('button', { name: /^Join now$/ }).click();
await alice.waitForFunction(() => window.parley?.phase === 'in-call');
const aliceId = await alice.evaluate(() => window.parley.call.state.selfId.value);
console.log(`meeting ${link}, alice ${aliceId}`);

const fromOpen = [];
const fromClick = [];
for (let run = 1; run <= runs; run++) {
  const guestContext = await context();
  const guest = await guestContext.newPage();
  const opened = Date.now();
  await guest.goto(link);
  await guest.getByLabel('Your name').fill(`Guest ${run}`);
  const button = guest.getByRole('button', { name: 'Join as guest' });
  await button.waitFor();
  await guest.waitForFunction(() => !document.querySelector('button.primary.big')?.disabled);
  const clicked = Date.now();
  await button.click();
  await guest.waitForFunction(async (publisher) => {
    const call = window.parley?.call;
    const pc = call?.peerConnection;
    if (!pc) return false;
    const mid = call.state.remote.value.find((r) => r.participantId === publisher && r.kind === 'video')?.mid;
    if (mid === undefined) return false;
    const stats = await pc.getStats();
    let decoded = 0;
    stats.forEach((r) => { if (r.type === 'inbound-rtp' && r.mid === mid) decoded = r.framesDecoded ?? 0; });
    return decoded > 0;
  }, aliceId, { polling: 10, timeout: 30_000 });
  const done = Date.now();
  fromOpen.push(done - opened);
  fromClick.push(done - clicked);
  console.log(`run ${run}: open → first frame ${done - opened} ms, join click → first frame ${done - clicked} ms`);
  await guest.evaluate(() => window.parley.call.leave()).catch(() => {});
  await guestContext.close();
}

const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(p * values.length) - 1)];
for (const [name, values] of [['open link → first decoded frame', fromOpen], ['join click → first decoded frame', fromClick]]) {
  console.log(`${name}: p50 ${percentile(values, 0.5)} ms, p90 ${percentile(values, 0.9)} ms, max ${Math.max(...values)} ms (${values.length} runs)`);
}
await browser.close();
