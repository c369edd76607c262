// Drives the real web app (clients/web, served by signaling) in headless Chromium for the relay's
// browser tests of the web app: WebAppFailoverIT (the call's relay is killed or drained under the
// pages) and WebAppLayoutIT (the window shrinks until a tile is hidden; media-layout and what the
// relay then sends). Prints one JSON object per step on stdout ({step, ok, ...figures}); the Java
// test asserts them. Reads the test's answers on stdin where a step needs the test to act (a
// `ready` step waits for one line). Logs go to stderr.
//
// Usage: node app-relay-driver.mjs '<json>' with {scenario: "failover" | "layout", link, warmUpLink
//   (failover), people: [{name, username?, password?}]} (a person without a username joins as a guest)
import {
  PATIENCE, commands, flowing, joinByLink, launch, log, media, newPage, report, sameGroup, videoReport, securityCode, selfId, epoch,
} from './app-pages.mjs';

const config = JSON.parse(process.argv[2]);
const next = commands();
// The app asks for a 1280x720 camera sent as three simulcast streams: at 15 frames a second the
// fake camera halves what every page encodes on the shared test machine, and changes nothing else.
const browser = await launch(['--use-fake-device-for-media-stream=fps=15']);

/**
 * What a page's call socket sends and receives, by message type (media offers and answers and MLS
 * payloads only counted), with the page's clock: join, resume, media-restart and media-layout are
 * what these tests look at. Recorded from the WebSocket's frames, so the app cannot misreport them.
 */
function recordWire(page) {
  const wire = { sent: [], received: [] };
  page.on('websocket', (socket) => {
    const keep = (list) => ({ payload }) => {
      try {
        const message = JSON.parse(payload);
        const { type } = message;
        const entry = { type, at: Date.now() };
        if (type === 'media-restart') entry.reason = message.reason;
        if (type === 'media-layout') entry.tracks = message.tracks;
        if (type === 'media-answer') entry.subscriptions = message.subscriptions;
        list.push(entry);
      } catch {
        // not JSON: not ours
      }
    };
    socket.on('framesent', keep(wire.sent));
    socket.on('framereceived', keep(wire.received));
  });
  return wire;
}

/** Opens one page per person and joins them to the call one after the other. */
async function join(viewport) {
  const people = [];
  for (const person of config.people) {
    const page = await newPage(browser, person.name, viewport);
    const wire = recordWire(page);
    await joinByLink(page, config.link, person);
    people.push({ name: person.name, page, wire, id: await selfId(page) });
    log(`${person.name} is in the call as ${people.at(-1).id}`);
  }
  return people;
}

/** Every page decodes and hears every other (rising), else throws. */
async function allFlowing(people, step) {
  log(`${step}: the pages are in MLS epoch ${await sameGroup(people.map((person) => person.page))}`);
  const results = await Promise.all(people.map((person) => flowing(person.page,
    people.filter((other) => other !== person).map((other) => other.id), 45_000)));
  const ok = results.every((r) => r.ok);
  report(step, { ok, media: Object.fromEntries(people.map((p, i) => [p.name, results[i].after])),
    ...(ok ? {} : { video: Object.fromEntries(await Promise.all(people.map(async (p) => [p.name, await videoReport(p.page)]))) }) });
  if (!ok) {
    throw new Error(`${step}: not every page decodes every other`);
  }
}

/**
 * Installs in the page a sampler that, every 100 ms, reads the current connection's stats for each
 * remote camera and the tile's video element, numbering connections as they appear; and records
 * every phase and every change of the reconnect banner. `window.__watch.rises(afterPc)` then says,
 * per remote participant, when frames were first decoded (framesDecoded rising between two samples
 * of the same connection) and first painted (the tile's video element showing that connection's
 * track, its frame count rising) on a connection numbered above `afterPc`.
 */
async function watch(page) {
  await page.evaluate(() => {
    const call = window.parley.call;
    const ids = new WeakMap();
    const phases = [{ phase: call.state.phase.value, at: Date.now() }];
    const banner = [];
    call.state.phase.subscribe((phase) => phases.push({ phase, at: Date.now() }));
    call.state.reconnecting.subscribe((shown) => banner.push({ shown, at: Date.now() }));
    const last = new Map(); // `${pc}/${participant}/${what}` -> count
    const firsts = []; // {pc, participant, what: decoded|painted, at}
    let pcs = 0;
    let busy = false;
    const w = {
      phases, banner, firsts,
      /** The number of the connection now (numbered here if the sampler has not seen it yet). */
      get pc() { return number(call.peerConnection); },
      rises(afterPc) {
        const out = {};
        for (const f of firsts) {
          if (f.pc <= afterPc) continue;
          const entry = out[f.participant] ??= {};
          entry[f.what] = Math.min(entry[f.what] ?? Infinity, f.at);
        }
        return out;
      },
    };
    const number = (pc) => {
      if (!pc) return 0;
      if (!ids.has(pc)) ids.set(pc, ++pcs);
      return ids.get(pc);
    };
    const rise = (pc, participant, what, count, at) => {
      const key = `${pc}/${participant}/${what}`;
      const before = last.get(key);
      last.set(key, count);
      if (before !== undefined && count > before && !firsts.some((f) => f.pc === pc && f.participant === participant
          && f.what === what)) {
        firsts.push({ pc, participant, what, at });
      }
    };
    w.timer = setInterval(async () => {
      const pc = call.peerConnection;
      if (busy || !pc) return;
      busy = true;
      try {
        const id = number(pc);
        // During a media restart the tiles may still show the old connection's tracks
        // (make-before-break), whose mids can coincide with the new connection's: only this one's count.
        const own = new Set(pc.getReceivers().map((r) => r.track));
        const remote = call.state.remote.value.filter((t) => t.source === 'camera' && own.has(t.track));
        const stats = await pc.getStats();
        const at = Date.now();
        stats.forEach((r) => {
          if (r.type !== 'inbound-rtp' || r.kind !== 'video') return;
          const track = remote.find((t) => t.mid === r.mid);
          if (track) rise(id, track.participantId, 'decoded', r.framesDecoded ?? 0, at);
        });
        for (const track of remote) {
          const video = document.querySelector(`[data-participant="${track.participantId}"] video`);
          if (video?.srcObject?.getVideoTracks?.()[0] === track.track) {
            rise(id, track.participantId, 'painted', video.getVideoPlaybackQuality().totalVideoFrames, at);
          }
        }
      } finally {
        busy = false;
      }
    }, 100);
    window.__watch = w;
  });
}

/**
 * A guest joins the warm-up call (on the surviving relay) until its media connects, then leaves: a
 * relay's first DTLS handshake costs seconds of class loading, which is no part of failover.
 */
async function warmUp() {
  const page = await newPage(browser, 'warm-up');
  await joinByLink(page, config.warmUpLink, { name: 'Warm-up' });
  await page.waitForFunction(() => window.parley.call.state.transport.value === 'connected', null,
    { timeout: PATIENCE });
  await page.getByRole('button', { name: 'Leave call' }).click();
  await page.context().close();
  report('warmed-up', { ok: true });
}

async function failover() {
  await warmUp();
  const people = await join();
  await allFlowing(people, 'before');
  for (const person of people) {
    await watch(person.page);
  }
  const before = await Promise.all(people.map(async (p) => ({ epoch: await epoch(p.page), code: await securityCode(p.page),
    pc: await p.page.evaluate(() => window.__watch.pc) })));
  report('ready', { ok: true, ids: Object.fromEntries(people.map((p) => [p.name, p.id])) });

  const killedAt = Number((await next()).trim());
  log(`the relay was killed at ${killedAt}`);
  const deadline = Date.now() + 20_000;
  const recovered = {};
  for (const [i, person] of people.entries()) {
    const others = people.filter((other) => other !== person).map((other) => other.id);
    let rises = {};
    while (Date.now() < deadline) {
      rises = await person.page.evaluate((pc) => window.__watch.rises(pc), before[i].pc);
      if (others.every((id) => rises[id]?.decoded && rises[id]?.painted)) break;
      await person.page.waitForTimeout(200);
    }
    recovered[person.name] = Object.fromEntries(others.map((id) => [id, {
      decodedMs: rises[id]?.decoded ? rises[id].decoded - killedAt : null,
      paintedMs: rises[id]?.painted ? rises[id].painted - killedAt : null,
    }]));
  }
  // Sound and pictures go on, on the new connection, and nobody joined again.
  await allFlowing(people, 'after');
  const after = [];
  for (const [i, person] of people.entries()) {
    const watched = await person.page.evaluate(() => ({ phases: window.__watch.phases, banner: window.__watch.banner,
      pc: window.__watch.pc }));
    after.push({
      name: person.name,
      sameParticipant: (await selfId(person.page)) === person.id,
      sameEpoch: (await epoch(person.page)) === before[i].epoch,
      sameCode: (await securityCode(person.page)) === before[i].code,
      phases: watched.phases.map((p) => p.phase),
      bannerShown: watched.banner.filter((b) => b.shown).length,
      // From the kill: when the reconnect banner showed and went (it goes when the new connection connects).
      bannerMs: watched.banner.filter((b) => b.at >= killedAt).map((b) => ({ shown: b.shown, ms: b.at - killedAt })),
      bannerNow: await person.page.evaluate(() => window.parley.call.state.reconnecting.value),
      rejoinButton: await person.page.getByRole('button', { name: 'Rejoin' }).count(),
      connections: watched.pc - before[i].pc,
      joinsSent: person.wire.sent.filter((m) => m.type === 'join').length,
      resumesSent: person.wire.sent.filter((m) => m.type === 'resume').length,
      restarts: person.wire.received.filter((m) => m.type === 'media-restart')
        .map((m) => ({ reason: m.reason, ms: m.at - killedAt })),
      tiles: await person.page.locator('[data-participant]:not([data-self])').count(),
    });
  }
  report('recovered', { ok: true, killedAt, recovered, pages: after });
}

/** The viewer's stats for the publisher's camera. */
async function cameraOf(viewer, publisher) {
  return (await media(viewer.page))[publisher.id] ?? { video: 0, packets: 0, width: 0 };
}

/** The last media-layout the viewer sent, as {mid: {width, height}} (null before any). */
const lastLayout = (viewer) => viewer.wire.sent.filter((m) => m.type === 'media-layout').at(-1)?.tracks ?? null;

/** The mid of the viewer's receiving section that carries the publisher's camera. */
async function cameraMid(viewer, publisher) {
  return viewer.page.evaluate((id) => window.parley.call.state.remote.value
    .find((t) => t.participantId === id && t.source === 'camera')?.mid ?? null, publisher.id);
}

/** Waits until `test(stats)` holds for the viewer's view of the publisher's camera; answers the stats and ms. */
async function until(viewer, publisher, test, timeoutMs = 20_000) {
  const started = Date.now();
  let stats;
  while (Date.now() - started < timeoutMs) {
    stats = await cameraOf(viewer, publisher);
    if (test(stats)) return { ok: true, ms: Date.now() - started, stats };
    await viewer.page.waitForTimeout(250);
  }
  return { ok: false, ms: Date.now() - started, stats };
}

/** Waits until the viewer has sent a media-layout whose entry for `mid` passes `test`; answers it and ms. */
async function layoutSent(viewer, mid, test, since, timeoutMs = 10_000) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const sent = viewer.wire.sent.filter((m) => m.type === 'media-layout' && m.at >= since && m.tracks[mid]
      && test(m.tracks[mid])).at(-1);
    if (sent) return { ok: true, ms: sent.at - since, size: sent.tracks[mid] };
    await viewer.page.waitForTimeout(100);
  }
  return { ok: false, ms: null, size: lastLayout(viewer)?.[mid] ?? null };
}

async function layout() {
  const people = await join();
  const [publisher, viewer] = people;
  await allFlowing(people, 'before');
  const mid = await cameraMid(viewer, publisher);
  const tileSize = () => viewer.page.evaluate((id) => {
    const tile = document.querySelector(`[data-participant="${id}"]`);
    return tile ? { width: Math.round(tile.getBoundingClientRect().width), height: Math.round(tile.getBoundingClientRect().height) }
      : null;
  }, publisher.id);

  // Large: the tile's size was reported, and the relay sends a stream at least as wide as it (or its best).
  const large = await layoutSent(viewer, mid, (size) => size.width > 0, 0);
  const wide = await until(viewer, publisher, (s) => s.width > 0);
  await viewer.page.waitForTimeout(2000); // let a keyframe-switch to the chosen stream land
  const largeStats = await cameraOf(viewer, publisher);
  report('large', { ok: large.ok && wide.ok, mid, tile: await tileSize(), layout: large.size,
    width: largeStats.width });

  // Small window: the tile shrinks, the app tells the relay, and the relay sends a smaller stream.
  let since = Date.now();
  await viewer.page.setViewportSize({ width: 520, height: 420 });
  const smallTile = await tileSize();
  const small = await layoutSent(viewer, mid, (size) => size.width > 0 && size.width < large.size.width, since);
  const narrower = await until(viewer, publisher, (s) => s.width > 0 && s.width < largeStats.width);
  report('small', { ok: small.ok && narrower.ok, tile: smallTile, layout: small.size, layoutMs: small.ms,
    width: narrower.stats?.width, widthMs: narrower.ms + (small.ms ?? 0) });

  // A window too small for two tiles of 110 px (the app's smallest on a narrow screen): only the
  // viewer's own tile and "+1" fit; the publisher's tile is hidden, the app reports 0x0 and the
  // relay stops sending that camera (no packet for 2 s).
  since = Date.now();
  const tinyWindow = { width: 160, height: 220 };
  await viewer.page.setViewportSize(tinyWindow);
  await viewer.page.waitForFunction((id) => document.querySelector(`[data-participant="${id}"]`) === null
    && document.querySelector('.more-tile') !== null, publisher.id, { timeout: PATIENCE });
  const hidden = await layoutSent(viewer, mid, (size) => size.width === 0 && size.height === 0, since);
  let paused = { ok: false, ms: null };
  const pausedDeadline = Date.now() + 20_000;
  while (Date.now() < pausedDeadline) {
    const a = await cameraOf(viewer, publisher);
    await viewer.page.waitForTimeout(2000);
    const b = await cameraOf(viewer, publisher);
    if (b.packets === a.packets) {
      paused = { ok: true, ms: Date.now() - since, packets: b.packets };
      break;
    }
  }
  report('hidden', { ok: hidden.ok && paused.ok, window: tinyWindow, layout: hidden.size, layoutMs: hidden.ms, pausedMs: paused.ms });

  // Large again: the tile is back, reported large, and the stream comes back at its former width.
  since = Date.now();
  const pausedFrames = (await cameraOf(viewer, publisher)).video;
  await viewer.page.setViewportSize({ width: 1280, height: 800 });
  const shown = await layoutSent(viewer, mid, (size) => size.width >= large.size.width, since);
  const back = await until(viewer, publisher, (s) => s.video > pausedFrames + 10 && s.width >= largeStats.width, 30_000);
  report('shown', { ok: shown.ok && back.ok, layout: shown.size, layoutMs: shown.ms, width: back.stats?.width,
    resumedMs: back.ms + (shown.ms ?? 0) });
  report('wire', { ok: true, layouts: viewer.wire.sent.filter((m) => m.type === 'media-layout') });
}

try {
  if (config.scenario === 'failover') {
    await failover();
  } else if (config.scenario === 'layout') {
    await layout();
  } else {
    throw new Error(`unknown scenario ${config.scenario}`);
  }
  report('done', { ok: true });
} catch (error) {
  report('error', { ok: false, error: String(error?.stack ?? error) });
  process.exitCode = 1;
} finally {
  await browser.close();
  process.stdin.destroy();
}
