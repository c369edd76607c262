import { MAX_UINT64, type Bytes } from './bytes';
import { AES_128_GCM_SHA256_128, type CipherSuite } from './cipher-suite';
import { SFrameError } from './errors';
import { deriveSFrameKey, type SFrameKey } from './key-derivation';
import { EPOCH_BITS, mlsKeyId, parseMlsKeyId, senderBits } from './mls-kid';
import { ReplayWindow } from './replay-window';

/** One MLS epoch's key material, as the MLS layer hands it over (RFC 9605 §5.2). */
export interface EpochKeys {
  /** The MLS epoch. */
  readonly epoch: bigint;
  /** `MLS-Exporter("SFrame 1.0 Base Key", "", AEAD.Nk)` of that epoch. */
  readonly baseKey: Uint8Array;
  /** The ratchet tree's leaf count, which fixes S (see {@link senderBits}). */
  readonly groupSize: number;
  /** This member's leaf index: the KIDs it sends with, and the ones it must never accept. */
  readonly senderIndex: number;
}

/**
 * The largest KID context Parley accepts. A sender uses one context per independent CTR sequence
 * (one per worker); bounding it bounds how many keys a forged KID can make a receiver derive.
 */
export const MAX_CONTEXT = 15n;

/** A sending key with the CTR reserved for one frame. */
export interface SendSlot {
  readonly key: SFrameKey;
  readonly ctr: bigint;
}

/** A receiving key and the replay window of its KID. */
export interface ReceiveSlot {
  readonly key: SFrameKey;
  readonly replay: ReplayWindow;
}

interface Sender {
  readonly key: Promise<SFrameKey>;
  next: bigint;
}

interface Receiver {
  readonly key: Promise<SFrameKey>;
  readonly replay: ReplayWindow;
}

/** An epoch the ring holds, with the keys derived from it so far. */
class Epoch {
  readonly epoch: bigint;
  readonly baseKey: Bytes;
  readonly groupSize: number;
  readonly senderIndex: number;
  readonly sBits: number;
  readonly senders = new Map<bigint, Sender>();
  readonly receivers = new Map<bigint, Receiver>();

  constructor(keys: EpochKeys) {
    this.epoch = keys.epoch;
    this.baseKey = keys.baseKey.slice();
    this.groupSize = keys.groupSize;
    this.senderIndex = keys.senderIndex;
    this.sBits = senderBits(keys.groupSize);
    if (keys.epoch < 0n || !Number.isSafeInteger(keys.senderIndex) || keys.senderIndex < 0 || keys.senderIndex >= keys.groupSize) {
      throw new SFrameError('value-out-of-range', `epoch ${keys.epoch}, sender ${keys.senderIndex} of ${keys.groupSize} leaves`);
    }
  }

  /** `epoch mod 2^E`: what a KID says of its epoch. */
  get epochBits(): number {
    return lowEpochBits(this.epoch);
  }

  sameKeysAs(keys: EpochKeys): boolean {
    return (
      this.groupSize === keys.groupSize &&
      this.senderIndex === keys.senderIndex &&
      this.baseKey.length === keys.baseKey.length &&
      this.baseKey.every((byte, i) => byte === keys.baseKey[i])
    );
  }
}

function lowEpochBits(value: bigint): number {
  return Number(value & ((1n << BigInt(EPOCH_BITS)) - 1n));
}

/**
 * Parley's SFrame keys (RFC 9605 §5.2, as clients/java `SFrameKeys`): the current MLS epoch and the
 * one before it, so frames sent just before a commit still decrypt. Per-KID keys are derived on
 * first use (§4.4.2). This member encrypts only under its own KIDs and decrypts only under the
 * others' (§4.4.1: a key is for encryption or decryption, never both); KIDs of epochs not held are
 * refused.
 */
export class KeyRing {
  #current: Epoch | undefined;
  #previous: Epoch | undefined;

  constructor(readonly suite: CipherSuite = AES_128_GCM_SHA256_128) {}

  /** The epochs held, newest first. */
  get epochs(): bigint[] {
    return [this.#current, this.#previous].flatMap((held) => (held ? [held.epoch] : []));
  }

  /**
   * Installs an epoch. A newer epoch becomes current and the old current becomes previous; the
   * same epoch again with the same keys changes nothing (its CTRs must go on, not restart); an
   * epoch older than those held throws `stale-epoch`. Following §5.2, an epoch whose low E bits
   * equal a held one's replaces it.
   */
  setEpoch(keys: EpochKeys): void {
    if (keys.baseKey.length !== this.suite.nk) {
      throw new SFrameError('bad-key-length', `a base key of ${keys.baseKey.length} bytes, ${this.suite.name} needs ${this.suite.nk}`);
    }
    const held = this.#find(keys.epoch);
    if (held?.sameKeysAs(keys)) {
      return;
    }
    const epoch = new Epoch(keys);
    if (held) {
      this.#replace(held, epoch);
      return;
    }
    if (this.#current && keys.epoch < this.#current.epoch) {
      throw new SFrameError('stale-epoch', `epoch ${keys.epoch} is older than the current epoch ${this.#current.epoch}`);
    }
    this.#previous = this.#current?.epochBits === epoch.epochBits ? undefined : this.#current;
    this.#current = epoch;
  }

  /** Forgets an epoch's keys; true if it was held. */
  dropEpoch(epoch: bigint): boolean {
    if (this.#current?.epoch === epoch) {
      this.#current = this.#previous;
      this.#previous = undefined;
      return true;
    }
    if (this.#previous?.epoch === epoch) {
      this.#previous = undefined;
      return true;
    }
    return false;
  }

  /**
   * The current epoch's key for this member's KID with `context`, and a CTR reserved for one frame.
   * The CTR is taken before any await, so concurrent frames never share one (§7.4).
   */
  async nextSendSlot(context = 0n): Promise<SendSlot> {
    const epoch = this.#current;
    if (!epoch) {
      throw new SFrameError('no-sending-key', 'no epoch is set');
    }
    if (context < 0n || context > MAX_CONTEXT) {
      throw new SFrameError('value-out-of-range', `context ${context} is above ${MAX_CONTEXT}`);
    }
    let sender = epoch.senders.get(context);
    if (!sender) {
      const kid = mlsKeyId(epoch.epoch, epoch.senderIndex, epoch.sBits, context);
      sender = { key: deriveSFrameKey(this.suite, kid, epoch.baseKey), next: 0n };
      epoch.senders.set(context, sender);
    }
    if (sender.next > MAX_UINT64) {
      throw new SFrameError('counter-exhausted', `every CTR of context ${context} in epoch ${epoch.epoch} is used`);
    }
    const ctr = sender.next++;
    return { key: await sender.key, ctr };
  }

  /** The key for an incoming frame's KID, or why there is none. */
  async receiveSlot(kid: bigint): Promise<ReceiveSlot> {
    const epochBits = lowEpochBits(kid);
    const epoch = [this.#current, this.#previous].find((held) => held?.epochBits === epochBits);
    if (!epoch) {
      throw new SFrameError('unknown-epoch', `no keys for KID ${kid} (epoch bits ${epochBits})`);
    }
    let receiver = epoch.receivers.get(kid);
    if (!receiver) {
      const { context, senderIndex } = parseMlsKeyId(kid, epoch.sBits);
      if (senderIndex >= epoch.groupSize || senderIndex === epoch.senderIndex || context > MAX_CONTEXT) {
        throw new SFrameError('unknown-sender', `KID ${kid}: sender ${senderIndex}, context ${context} in epoch ${epoch.epoch}`);
      }
      receiver = { key: deriveSFrameKey(this.suite, kid, epoch.baseKey), replay: new ReplayWindow() };
      epoch.receivers.set(kid, receiver);
    }
    return { key: await receiver.key, replay: receiver.replay };
  }

  #find(epoch: bigint): Epoch | undefined {
    return [this.#current, this.#previous].find((held) => held?.epoch === epoch);
  }

  #replace(held: Epoch, epoch: Epoch): void {
    if (held === this.#current) {
      this.#current = epoch;
    } else {
      this.#previous = epoch;
    }
  }
}
