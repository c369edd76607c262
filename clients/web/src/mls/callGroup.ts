/**
 * One device's membership of one call's MLS group, run against the key-distribution service — the
 * TypeScript twin of the Java client's dev.parley.client.kd.CallKeys, with the same rules:
 *
 * - it publishes KeyPackages (and tops them up when the service says the supply is low), follows the
 *   group's message stream, and asks to join; the first device creates the group (the service says
 *   `create`), every later one waits for its Welcome on the stream;
 * - the stream is followed in index order: a broken stream resumes from the last index (on the next
 *   replica), a repeated message is skipped, a gap is filled by reading the missed messages;
 * - the service's Add and Remove proposals are committed by the member at the lowest leaf at once and
 *   by every other member after 150 ms × its rank among the leaves; of two Commits for one epoch the
 *   service accepts the first and refuses the other (`stale-epoch`), which is discarded;
 * - a Commit whose verdict was lost (network failure, 5xx) stays outstanding: if the stream brings it
 *   back it is recognised as this member's own; if the epoch has not moved after a second, the
 *   member commits again;
 * - a member that cannot process the group's messages (its state diverged) rejoins: it asks to join
 *   again as the same participant, and the service replaces its old leaf.
 *
 * Every change of epoch is reported with what the media layer needs (the SFrame base key, RFC 9605
 * §5.2) and what people compare (the security code).
 */
import { equalBytes, fromBase64Url, toBase64Url } from './bytes';
import { type DeviceKeys, generateDeviceKeys, signWith } from './device';
import type { ExternalSenderKey } from './externalSenders';
import { assertTsMlsPatched } from './externalSenders';
import { type Authority, type Device, type GroupMessage, KeyDistributionClient, KeyDistributionError, NetworkError,
  type Subscription } from './kdClient';
import { FutureEpoch, type KeyPackageBundle, MlsMember, newKeyPackage, type PendingCommit, SFRAME_BASE_KEY_LENGTH,
  SFRAME_EXPORTER_LABEL, x509Credential } from './member';
import { type SecurityCode, securityCode } from './securityCode';
import { CredentialVerifier, type MemberIdentity } from './x509';

export interface GroupMember extends MemberIdentity {
  leafIndex: number;
  /** A guest: its identity is scoped to one room, not an SSO account. */
  guest: boolean;
  /** This device. */
  self: boolean;
}

/** What changes with every epoch. */
export interface EpochInfo {
  groupId: string;
  epoch: bigint;
  /** MLS-Exporter("SFrame 1.0 Base Key", "", 16): the SFrame base key of this epoch (RFC 9605 §5.2). */
  exporterBaseKey: Uint8Array;
  ownLeafIndex: number;
  /** The tree's leaf count: SFrame's group_size for the KID's sender bits (docs/mls-interop.md). */
  leafCount: number;
  members: GroupMember[];
  epochAuthenticator: Uint8Array;
  securityCode: SecurityCode;
}

export interface CallGroupEvents {
  epoch: EpochInfo;
  /** A commit removed this device (it left, or was removed or replaced). */
  removed: { epoch: bigint };
  /** The service closed the group: the call ended or everybody left. */
  closed: { groupId: string };
  /** This device's state could not follow the group; `rejoining` says whether it rejoins by itself. */
  desynced: { error: unknown; rejoining: boolean };
  error: { error: unknown };
}

export interface CallGroupOptions {
  kd: KeyDistributionClient;
  keys: DeviceKeys;
  /** The Parley CA certificate the app ships (DER); the service's authority must match it. */
  trustedCa?: Uint8Array;
  /** How many KeyPackages to publish at a time (default 5). */
  keyPackages?: number;
  /** Delay per rank before committing proposals the lower ranks left alone (default 150 ms). */
  rankDelayMs?: number;
  /** How long a Commit whose verdict was lost may take to show up before committing again (default 1 s). */
  fateUnknownRetryMs?: number;
  /** Rejoin by itself when the group's messages cannot be processed (default true). */
  autoRejoin?: boolean;
  /** Told of the new device key a rejoin registers (to persist it in place of the old one). */
  onNewDeviceKeys?: (keys: DeviceKeys, device: Device) => void;
  /** How long join() waits to be in the group (default 30 s). */
  joinTimeoutMs?: number;
}

type Listener<K extends keyof CallGroupEvents> = (event: CallGroupEvents[K]) => void;

export class CallGroup {
  private readonly listeners: { [K in keyof CallGroupEvents]: Set<Listener<K>> } = {
    epoch: new Set(), removed: new Set(), closed: new Set(), desynced: new Set(), error: new Set(),
  };
  private readonly bundles: KeyPackageBundle[] = [];
  private early: GroupMessage[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private waiters: Array<() => void> = [];
  private subscription?: Subscription;
  private member?: MlsMember;
  private roomId?: string;
  private participantId?: string;
  private cursorGroup?: string;
  private cursor = -1;
  private stopped = false;
  private closedGroup = false;
  private info?: EpochInfo;
  private failure?: unknown;
  readonly stats = { commitsAccepted: 0, commitsStale: 0, commitsFateUnknown: 0, rejoins: 0, gapsFilled: 0, resumes: 0 };

  private readonly onNewDeviceKeys?: (keys: DeviceKeys, device: Device) => void;
  private readonly keyPackages: number;
  private readonly rankDelayMs: number;
  private readonly fateUnknownRetryMs: number;
  private readonly autoRejoin: boolean;
  private readonly joinTimeoutMs: number;

  private constructor(private readonly kd: KeyDistributionClient, private keys: DeviceKeys,
                      private registered: Device, private certificates: Uint8Array[],
                      private readonly verifier: CredentialVerifier, private readonly service: ExternalSenderKey,
                      options: CallGroupOptions) {
    this.keyPackages = options.keyPackages ?? 5;
    this.onNewDeviceKeys = options.onNewDeviceKeys;
    this.rankDelayMs = options.rankDelayMs ?? 150;
    this.fateUnknownRetryMs = options.fateUnknownRetryMs ?? 1000;
    this.autoRejoin = options.autoRejoin ?? true;
    this.joinTimeoutMs = options.joinTimeoutMs ?? 30_000;
  }

  /**
   * Reads the service's authority (checking its CA against the pinned one), registers the device
   * key with its proof of possession, and checks the certificate the service issued.
   */
  static async open(options: CallGroupOptions): Promise<CallGroup> {
    assertTsMlsPatched();
    const { kd, keys } = options;
    const authority: Authority = await kd.authority();
    const ca = fromBase64Url(authority.caCertificate);
    if (options.trustedCa && !equalBytes(ca, options.trustedCa)) {
      throw new Error("the key-distribution service's CA is not the one this app trusts");
    }
    if (authority.cipherSuite !== 1) throw new Error(`the service uses cipher suite ${authority.cipherSuite}`);
    const verifier = new CredentialVerifier(ca);
    const service: ExternalSenderKey = {
      signaturePublicKey: fromBase64Url(authority.externalSender.signatureKey),
      credential: x509Credential(authority.externalSender.certificates.map(fromBase64Url)),
    };
    const device = await register(kd, keys, verifier);
    return new CallGroup(kd, keys, device, device.certificates.map(fromBase64Url), verifier, service, options);
  }

  /** This device as the service registered it (a rejoin registers a new one). */
  get device(): Device {
    return this.registered;
  }

  on<K extends keyof CallGroupEvents>(type: K, listener: Listener<K>): () => void {
    this.listeners[type].add(listener);
    return () => this.listeners[type].delete(listener);
  }

  private emit<K extends keyof CallGroupEvents>(type: K, event: CallGroupEvents[K]): void {
    for (const listener of [...this.listeners[type]]) {
      try {
        listener(event);
      } catch (e) {
        console.error(`CallGroup ${type} listener failed`, e);
      }
    }
  }

  /** The current epoch (undefined until joined, and after leave). */
  get current(): EpochInfo | undefined {
    return this.info;
  }

  get joined(): boolean {
    return this.member !== undefined && !this.member.removed;
  }

  get groupClosed(): boolean {
    return this.closedGroup;
  }

  /**
   * Joins the call's group in `roomId` as `participantId` (this device's place in the call, from
   * signaling's `joined`): resolves with the first epoch this device is in.
   */
  async join(roomId: string, participantId: string): Promise<EpochInfo> {
    if (this.roomId !== undefined) throw new Error('this CallGroup has joined already; make another for another call');
    this.roomId = roomId;
    this.participantId = participantId;
    await this.publish(this.keyPackages);
    await this.follow();
    const joined = this.until(() => this.joined, this.joinTimeoutMs, 'to be in the group');
    try {
      await this.serial(() => this.askToJoin());
    } catch (e) {
      joined.catch(() => {});
      throw e;
    }
    await joined;
    return this.info!;
  }

  /** Publishes `count` more KeyPackages. */
  async publish(count: number): Promise<void> {
    const made: KeyPackageBundle[] = [];
    for (let i = 0; i < count; i++) made.push(await newKeyPackage(this.keys, this.certificates));
    this.bundles.push(...made);
    await this.kd.upload(this.device.deviceId, made.map((b) => b.message));
  }

  private async askToJoin(): Promise<void> {
    const answer = await this.kd.join(this.roomId!, this.participantId!, this.device.deviceId);
    if (answer.outcome === 'create') {
      this.member = await MlsMember.create(fromBase64Url(answer.groupId), this.keys, this.certificates, this.service, this.verifier);
      await this.entered();
      // Messages that came before the group existed here (e.g. the service's Add of the next joiner).
      const backlog = this.early;
      this.early = [];
      for (const message of backlog) await this.apply(message);
    }
    if (answer.keyPackages.low) {
      this.publish(this.keyPackages).catch((error) => this.emit('error', { error }));
    }
  }

  private async follow(): Promise<void> {
    this.subscription = await this.kd.follow(this.roomId!, this.cursorGroup, this.cursor,
      (message) => { this.serial(() => this.receive(message)).catch((error) => this.fail(error)); },
      () => this.resumeLater());
  }

  /** The stream broke (its replica went away): follow again from the last message, on another replica if need be. */
  private resumeLater(delay = this.rankDelayMs): void {
    if (this.stopped) return;
    this.later(delay, async () => {
      if (this.stopped) return;
      try {
        this.stats.resumes++;
        await this.follow();
      } catch (e) {
        if (e instanceof KeyDistributionError && e.status < 500) {
          this.fail(e);
          return;
        }
        this.resumeLater(Math.min(delay * 2, 5000));
      }
    });
  }

  /** One message of the stream, in index order. Runs in the serial queue. */
  private async receive(message: GroupMessage): Promise<void> {
    if (this.stopped) return;
    if (message.groupId === this.cursorGroup) {
      if (message.index <= this.cursor) return; // Already had it (a resumed stream starts where the old one ended).
      if (message.index !== this.cursor + 1) {
        const missed = await this.kd.messages(this.roomId!, this.cursorGroup, this.cursor);
        this.stats.gapsFilled++;
        for (const m of missed) {
          if (m.groupId === message.groupId && m.index > this.cursor && m.index < message.index) await this.receive(m);
        }
        if (message.index !== this.cursor + 1) {
          throw new Error(`missed messages ${this.cursor + 1} to ${message.index - 1} of the group's log`);
        }
      }
    }
    this.cursorGroup = message.groupId;
    this.cursor = message.index;
    try {
      await this.apply(message);
    } finally {
      this.notify();
    }
  }

  private async apply(message: GroupMessage): Promise<void> {
    if (message.kind === 'closed') {
      this.closedGroup = true;
      this.emit('closed', { groupId: message.groupId });
      return;
    }
    const member = this.member;
    if (member === undefined) {
      if (message.kind === 'welcome') {
        const joined = await MlsMember.join(fromBase64Url(message.message!), this.bundles, this.service, this.verifier);
        if (joined) {
          this.member = joined.member;
          this.bundles.splice(this.bundles.indexOf(joined.used), 1);
          this.early = [];
          await this.entered();
        }
      } else {
        this.early.push(message);
      }
      return;
    }
    if (member.removed || message.kind === 'welcome' || message.groupId !== toBase64Url(member.groupId)) return;
    let outcome;
    try {
      outcome = await member.handle(fromBase64Url(message.message!));
    } catch (error) {
      await this.desynced(error, message);
      return;
    }
    if (outcome === 'epoch-advanced') {
      await this.entered();
    } else if (outcome === 'removed') {
      this.info = undefined;
      this.emit('removed', { epoch: member.epoch });
      return;
    }
    this.considerCommitting();
  }

  /** The member is in a (new) epoch: tell the listeners. */
  private async entered(): Promise<void> {
    const member = this.member!;
    const members = [...member.members].map(([leafIndex, id]) => ({
      ...id, leafIndex, guest: id.roomId !== undefined, self: leafIndex === member.leafIndex,
    }));
    const epochAuthenticator = member.epochAuthenticator;
    this.info = {
      groupId: toBase64Url(member.groupId),
      epoch: member.epoch,
      exporterBaseKey: await member.exporter(SFRAME_EXPORTER_LABEL, new Uint8Array(), SFRAME_BASE_KEY_LENGTH),
      ownLeafIndex: member.leafIndex,
      leafCount: member.leafCount,
      members,
      epochAuthenticator,
      securityCode: securityCode(epochAuthenticator),
    };
    this.emit('epoch', this.info);
    // Waiters re-check on every change, not only after stream messages: an epoch this member's own
    // accepted Commit entered (commitQueued) may be the last change for a while, its echo on the
    // stream having been handled before the verdict came back.
    this.notify();
  }

  /** This member cannot follow the group (its state diverged, or the message is hostile). */
  private async desynced(error: unknown, message: GroupMessage): Promise<void> {
    if (error instanceof FutureEpoch || this.autoRejoin) {
      this.emit('desynced', { error, rejoining: this.autoRejoin });
      if (this.autoRejoin) await this.rejoinNow();
      return;
    }
    this.fail(new Error(`could not handle message ${message.index} (${message.kind}, epoch ${message.epoch}): ${String(error)}`));
  }

  private considerCommitting(): void {
    const member = this.member;
    if (!member || member.removed || !member.hasQueuedProposals || member.removalPending) return;
    const rank = [...member.members.keys()].sort((a, b) => a - b).indexOf(member.leafIndex);
    const epoch = member.epoch;
    const still = () => this.member === member && member.epoch === epoch && !member.removed
      && member.hasQueuedProposals && !member.removalPending && !this.stopped;
    if (rank <= 0) {
      this.commitQueued().catch((error) => this.fail(error));
    } else {
      this.later(this.rankDelayMs * rank, () => this.serial(async () => { if (still()) await this.commitQueued(); }));
    }
  }

  /** Commits everything queued; the service's verdict decides whether this member moves on. Runs in the serial queue. */
  private async commitQueued(): Promise<void> {
    const member = this.member!;
    const pending: PendingCommit = await member.commit();
    try {
      await this.kd.submit(this.roomId!, this.device.deviceId, pending.commit, pending.welcome);
      this.stats.commitsAccepted++;
      if (member.confirm(pending)) await this.entered();
    } catch (e) {
      if (e instanceof NetworkError || (e instanceof KeyDistributionError && e.status >= 500)) {
        this.fateUnknown(member);
      } else {
        member.discard(pending);
        if (e instanceof KeyDistributionError && e.status === 409) {
          this.stats.commitsStale++; // Another Commit won; it arrives on the stream and this one is dropped.
        } else {
          this.emit('error', { error: e });
        }
      }
    }
  }

  /**
   * The service may have logged the Commit although no verdict came back. It stays outstanding: if
   * the stream brings it back, the member recognises it as its own. If the epoch has not moved
   * after a while, the member commits again.
   */
  private fateUnknown(member: MlsMember): void {
    this.stats.commitsFateUnknown++;
    const epoch = member.epoch;
    this.later(this.fateUnknownRetryMs, () => this.serial(async () => {
      if (this.member === member && member.epoch === epoch && !member.removed && member.hasQueuedProposals && !this.stopped) {
        await this.commitQueued();
      }
    }));
  }

  /**
   * Encrypts a chat message as an MLS application message (a PrivateMessage; signaling's `send` kind
   * `mls-application` carries it). Waits while proposals are pending (ts-mls and RFC 9420 forbid
   * sending then; a leaver must not read what is sent after its Remove).
   */
  async encryptApplication(plaintext: Uint8Array, timeoutMs = 5000): Promise<Uint8Array> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.until(() => this.joined && !this.member!.hasQueuedProposals, deadline - Date.now(), 'no pending proposals');
      const sent = await this.serial(async () => {
        const member = this.member;
        if (!member || member.removed || member.hasQueuedProposals) return undefined;
        return member.encrypt(plaintext);
      });
      if (sent) return sent;
    }
  }

  /**
   * Decrypts an MLS application message from another member. One from an epoch this member has not
   * reached yet waits (up to `timeoutMs`) for the commit that leads there.
   */
  async decryptApplication(message: Uint8Array, timeoutMs = 5000): Promise<Uint8Array> {
    const epoch = MlsMember.applicationEpoch(message);
    await this.until(() => this.joined && this.member!.epoch >= epoch, timeoutMs, `epoch ${epoch}`);
    return this.serial(async () => {
      const member = this.member;
      if (!member) throw new Error('not in the group');
      return (await member.decrypt(message)).plaintext;
    });
  }

  /**
   * Test hook (issue 8 acceptance, "a desynced page"): forces this device's MLS state out of sync
   * with the group's. Its SFrame base key and security code change at once (an epoch event reports
   * them), so its media no longer decrypts anyone's and its chat neither; the next commit it receives
   * fails, and it rejoins (autoRejoin), or the app calls rejoin().
   */
  forceDesync(): Promise<void> {
    return this.serial(async () => {
      if (!this.member) throw new Error('not in the group');
      await this.member.corrupt();
      await this.entered();
    });
  }

  /**
   * Drops the local group state and asks to join again as the same participant, from a new device
   * key: the service removes the old leaf and adds the new device in one epoch (a KeyPackage of the
   * old key could not be added while the old leaf is in the tree: RFC 9420 §7.3 wants signature keys
   * unique, and bcmls checks it as each proposal arrives). `onNewDeviceKeys` can persist them.
   */
  rejoin(): Promise<void> {
    return this.serial(() => this.rejoinNow());
  }

  private async rejoinNow(): Promise<void> {
    if (this.stopped) return;
    this.stats.rejoins++;
    this.member = undefined;
    this.info = undefined;
    this.early = [];
    // No clearTimers() here: a pending stream resume must survive (the Welcome comes on the stream),
    // and the commit timers of the dropped member check that it is still the member before acting.
    this.keys = await generateDeviceKeys();
    this.registered = await register(this.kd, this.keys, this.verifier);
    this.certificates = this.registered.certificates.map(fromBase64Url);
    this.bundles.length = 0;
    this.onNewDeviceKeys?.(this.keys, this.registered);
    await this.publish(this.keyPackages);
    await this.askToJoin();
  }

  /** Waits until this device is in the group at an epoch of at least `epoch` (tests, UI). */
  awaitEpoch(epoch: bigint, timeoutMs = 10_000): Promise<EpochInfo> {
    return this.until(() => this.joined && this.member!.epoch >= epoch && this.info !== undefined, timeoutMs,
      `epoch ${epoch}`).then(() => this.info!);
  }

  /** Waits until `condition` holds (checked after every message), or fails with what went wrong. */
  until(condition: () => boolean, timeoutMs: number, what = 'the condition'): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        if (this.failure !== undefined) {
          reject(this.failure);
          return true;
        }
        if (condition()) {
          resolve();
          return true;
        }
        return false;
      };
      if (check()) return;
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (epoch ${this.member?.epoch ?? 'none'})`));
      }, Math.max(0, timeoutMs));
      const waiter = () => {
        if (check()) {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== waiter);
        }
      };
      this.waiters.push(waiter);
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private fail(error: unknown): void {
    if (this.stopped) return;
    this.failure ??= error;
    this.emit('error', { error });
    this.notify();
  }

  /** Leaves: stops following the group and forgets its state. The service learns of the leave from signaling. */
  leave(): void {
    this.stopped = true;
    this.subscription?.close();
    this.clearTimers();
    this.member = undefined;
    this.info = undefined;
    this.notify();
  }

  private later(ms: number, task: () => unknown): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      Promise.resolve().then(task).catch((error) => this.fail(error));
    }, ms);
    this.timers.add(timer);
  }

  private clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** Runs `task` after every task queued before it: the member's state changes one at a time. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.then(() => this.notify(), () => this.notify());
    return run;
  }
}

/** Registers the device key with its proof of possession and checks the certificate the service issues. */
async function register(kd: KeyDistributionClient, keys: DeviceKeys, verifier: CredentialVerifier): Promise<Device> {
  const device = await kd.register(keys.publicKey, (data) => signWith(keys, data));
  await verifier.verify(device.certificates.map(fromBase64Url), keys.publicKey);
  return device;
}
