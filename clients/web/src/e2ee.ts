import type { Identity } from './auth/session';
import { parseCallMessage } from './call/call-message';
import type { EndToEnd, GroupState } from './call/end-to-end';
import type { ClientConfig } from './config';
import { CallGroup, type EpochInfo } from './mls/callGroup';
import { generateDeviceKeys } from './mls/device';
import { KeyDistributionClient } from './mls/kdClient';
import type { TransformCounters } from './sframe/frame-crypto';
import { FrameCryptoClient } from './sframe/frame-crypto-client';

/** How long frames keyed by the previous epoch still decrypt after a new one (in flight at the switch). */
const PREVIOUS_EPOCH_GRACE_MS = 2000;
/** How often the decode watchdog reads the worker's counters. */
const WATCH_INTERVAL_MS = 1000;
/** Frames failing with nothing decrypting, this many checks in a row: the group state is lost. */
export const FAILING_CHECKS_BEFORE_REJOIN = 3;
/** How many more checks a page waits per member above it (see DecodeWatchdog). */
export const STAGGER_CHECKS_PER_RANK = 3;
/** While this page is not in the group (joining, or a rejoin under way), it waits this many checks before rejoining. */
export const UNJOINED_CHECKS_BEFORE_REJOIN = 30;
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

  const watchdog = new DecodeWatchdog({
    counters: () => frames.counters(),
    standing: () => standingOf(group.current),
    rejoin: () => group.rejoin(),
  });
  watchdog.start();

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
    seal: (message) => group.encryptApplication(encoder.encode(JSON.stringify(message))),
    open: async (message) => {
      try {
        return parseCallMessage(JSON.parse(decoder.decode(await group.decryptApplication(message))));
      } catch {
        return null; // another epoch, a tampered message: never shown
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

/** This device's place among the group's leaves, as in CallGroup's commit ranks: 0 is the lowest leaf. */
export interface Standing {
  rank: number;
  members: number;
}

export function standingOf(info: EpochInfo | undefined): Standing | undefined {
  if (info === undefined) return undefined;
  const leaves = info.members.map((m) => m.leafIndex).sort((a, b) => a - b);
  const rank = leaves.indexOf(info.ownLeafIndex);
  return rank < 0 ? undefined : { rank, members: leaves.length };
}

export interface DecodeWatchdogOptions {
  /** The frame transforms' counters (FrameCryptoClient.counters). */
  counters: () => Promise<TransformCounters[]>;
  /** This device's place in the group now; undefined while it is not in it (joining, rejoining). */
  standing: () => Standing | undefined;
  rejoin: () => Promise<void>;
  intervalMs?: number;
  now?: () => number;
}

/**
 * Notices when this page can no longer decrypt anyone's frames although they keep arriving: its MLS
 * state has diverged from the group's (a lost commit, a corrupted state), so every key it derives
 * is wrong. The frames are dropped, never shown; after a few seconds of that it rejoins the group,
 * which gives it the group's current keys through a fresh Welcome.
 *
 * The symptom is symmetric: when one page of a two-person call diverges, the other page cannot
 * decrypt its frames either, and nothing else decrypts there. If both pages rejoined at once, both
 * would drop their group state, and nobody would be left in the group to commit the service's
 * Remove and Add proposals that let them back in: no Welcome would ever come. So pages wait longer
 * the lower their leaf (STAGGER_CHECKS_PER_RANK per member above them): the page at the highest
 * leaf rejoins first, the ones below it stay in the group and commit its rejoin (the member at the
 * lowest leaf at once), and as soon as its frames decrypt again their own count starts over. Which
 * page was the diverged one does not matter: whoever stays commits, and the rejoiner's Welcome puts
 * both in the same epoch. While this page is not in the group (a rejoin of its own, or CallGroup's
 * autoRejoin, is under way), it does not stack another rejoin on it unless that one is long stuck.
 */
export class DecodeWatchdog {
  private timer?: ReturnType<typeof setInterval>;
  private lastDecrypted = 0;
  private lastDropped = 0;
  private failing = 0;
  private lastRejoin = -Infinity;
  private readonly now: () => number;

  constructor(private readonly options: DecodeWatchdogOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.check(), this.options.intervalMs ?? WATCH_INTERVAL_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** How many failing checks in a row this page waits before rejoining, given its place in the group. */
  static checksBeforeRejoin(standing: Standing | undefined): number {
    if (standing === undefined) return UNJOINED_CHECKS_BEFORE_REJOIN;
    return FAILING_CHECKS_BEFORE_REJOIN + STAGGER_CHECKS_PER_RANK * Math.max(0, standing.members - 1 - standing.rank);
  }

  /** One look at the counters (every WATCH_INTERVAL_MS once started). */
  async check(): Promise<void> {
    const counters = (await this.options.counters().catch(() => [])).filter((t) => t.role === 'decrypt');
    const decrypted = counters.reduce((sum, t) => sum + t.decrypted, 0);
    const dropped = counters.reduce((sum, t) => sum + Object.values(t.dropped).reduce((a, b) => a + (b ?? 0), 0), 0);
    const stuck = dropped > this.lastDropped && decrypted === this.lastDecrypted;
    this.lastDecrypted = decrypted;
    this.lastDropped = dropped;
    this.failing = stuck ? this.failing + 1 : 0;
    if (this.failing >= DecodeWatchdog.checksBeforeRejoin(this.options.standing())
        && this.now() - this.lastRejoin > REJOIN_BACKOFF_MS) {
      this.failing = 0;
      this.lastRejoin = this.now();
      await this.options.rejoin().catch((error: unknown) => console.warn('rejoining the call group failed', error));
    }
  }
}

