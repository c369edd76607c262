import type { Identity } from './auth/session';
import type { EndToEnd, GroupState } from './call/end-to-end';
import type { ClientConfig } from './config';
import { CallGroup, type EpochInfo } from './mls/callGroup';
import { generateDeviceKeys } from './mls/device';
import { KeyDistributionClient } from './mls/kdClient';
import { FrameCryptoClient } from './sframe/frame-crypto-client';

/** How long frames keyed by the previous epoch still decrypt after a new one (in flight at the switch). */
const PREVIOUS_EPOCH_GRACE_MS = 2000;
/** How often the decode watchdog reads the worker's counters. */
const WATCH_INTERVAL_MS = 1000;
/** Frames failing with nothing decrypting, this many checks in a row: the group state is lost. */
const FAILING_CHECKS_BEFORE_REJOIN = 3;
/** At most one rejoin per this long, however the group fares. */
const REJOIN_BACKOFF_MS = 10_000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The call's end-to-end encryption (docs/web-app.md, "End-to-end encryption"): the MLS group
 * through key distribution (src/mls), whose exporter keys SFrame on every frame in a worker
 * (src/sframe), and whose application messages carry the chat. A device key per call: it is
 * registered with the service for this call and forgotten with the page.
 */
export async function createEndToEnd(config: ClientConfig, identity: Identity): Promise<EndToEnd> {
  const worker = new Worker(new URL('./sframe/worker.ts', import.meta.url), { type: 'module' });
  const frames = new FrameCryptoClient(worker, (failure) => console.warn('frame encryption failed', failure));
  const kd = new KeyDistributionClient(config.keyDistributionUrl, () => identity.token());
  const group = await CallGroup.open({ kd, keys: await generateDeviceKeys() });
  const listeners: Array<(state: GroupState) => void> = [];

  group.on('epoch', (info: EpochInfo) => {
    void frames.setEpoch({ epoch: info.epoch, baseKey: info.exporterBaseKey, groupSize: info.leafCount,
      senderIndex: info.ownLeafIndex })
      .then(() => setTimeout(() => void frames.dropEpoch(info.epoch - 2n).catch(() => {}), PREVIOUS_EPOCH_GRACE_MS))
      .catch((error: unknown) => console.warn('cannot key the frames of epoch', info.epoch, error));
    const state: GroupState = {
      epoch: Number(info.epoch),
      securityCode: info.securityCode.emoji.join(' '),
      securityWords: info.securityCode.words.join(' '),
      securityDigits: info.securityCode.digits,
      members: info.members.length,
    };
    listeners.forEach((listener) => listener(state));
  });

  const watchdog = new DecodeWatchdog(frames, () => group.rejoin());

  return {
    protection: {
      protectSender: (sender, kind) => void frames.protectSender(sender, kind),
      protectReceiver: (receiver, kind) => void frames.protectReceiver(receiver, kind),
    },
    join: async (roomId, participantId) => {
      await group.join(roomId, participantId);
    },
    onChange: (listener) => {
      listeners.push(listener);
    },
    sealChat: (text) => group.encryptApplication(encoder.encode(JSON.stringify({ text }))),
    openChat: async (message) => {
      try {
        const opened = JSON.parse(decoder.decode(await group.decryptApplication(message))) as { text?: unknown };
        return typeof opened.text === 'string' ? opened.text : null;
      } catch {
        return null; // another epoch, a tampered message, or not a chat message: never shown
      }
    },
    close: () => {
      watchdog.stop();
      group.leave();
      worker.terminate();
    },
    diagnostics: {
      frameCounters: () => frames.counters(),
      forceDesync: () => group.forceDesync(),
      group: () => group.current,
    },
  };
}

/**
 * Notices when this page can no longer decrypt anyone's frames although they keep arriving: its MLS
 * state has diverged from the group's (a lost commit, a corrupted state), so every key it derives
 * is wrong. The frames are dropped, never shown; after a few seconds of that it rejoins the group,
 * which gives it the group's current keys through a fresh Welcome.
 */
class DecodeWatchdog {
  private readonly timer: ReturnType<typeof setInterval>;
  private lastDecrypted = 0;
  private lastDropped = 0;
  private failing = 0;
  private lastRejoin = 0;

  constructor(private readonly frames: FrameCryptoClient, private readonly rejoin: () => Promise<void>) {
    this.timer = setInterval(() => void this.check(), WATCH_INTERVAL_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async check(): Promise<void> {
    const counters = (await this.frames.counters().catch(() => [])).filter((t) => t.role === 'decrypt');
    const decrypted = counters.reduce((sum, t) => sum + t.decrypted, 0);
    const dropped = counters.reduce((sum, t) => sum + Object.values(t.dropped).reduce((a, b) => a + b, 0), 0);
    const stuck = dropped > this.lastDropped && decrypted === this.lastDecrypted;
    this.lastDecrypted = decrypted;
    this.lastDropped = dropped;
    this.failing = stuck ? this.failing + 1 : 0;
    if (this.failing >= FAILING_CHECKS_BEFORE_REJOIN && Date.now() - this.lastRejoin > REJOIN_BACKOFF_MS) {
      this.failing = 0;
      this.lastRejoin = Date.now();
      await this.rejoin().catch((error: unknown) => console.warn('rejoining the call group failed', error));
    }
  }
}
