import type { Identity } from './auth/session';
import type { EndToEnd, GroupState } from './call/end-to-end';
import type { ClientConfig } from './config';
import { CallGroup, type EpochInfo } from './mls/callGroup';
import { generateDeviceKeys } from './mls/device';
import { KeyDistributionClient } from './mls/kdClient';
import { FrameCryptoClient } from './sframe/frame-crypto-client';

/** How long frames keyed by the previous epoch still decrypt after a new one (in flight at the switch). */
const PREVIOUS_EPOCH_GRACE_MS = 2000;
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
