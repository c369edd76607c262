/**
 * One device's view of one call's MLS group (RFC 9420) on ts-mls, with Parley's rules on top — the
 * TypeScript twin of the Java client's dev.parley.client.mls.MlsMember:
 *
 * - every leaf's credential passes the CredentialVerifier (all leaves on join, every new or changed
 *   leaf after a commit; a committer keeps its user and device);
 * - the group has exactly one external sender, the key-distribution service (§12.1.8.1, read as the
 *   RFC's list thanks to patches/ts-mls-external-senders.ts), whose Add and Remove proposals are
 *   queued and committed by reference;
 * - handshake messages are PublicMessages; proposals other than Add and Remove are refused, and so
 *   are external commits;
 * - a commit stays pending until the Delivery Service accepts it (confirm) or refuses it (discard);
 *   one that comes back on the stream is recognised by its bytes.
 *
 * ts-mls states are immutable values, so every method either returns with a new state or throws and
 * leaves the member as it was. Not re-entrant: CallGroup serialises calls.
 */
import type { ClientState, Credential, KeyPackage, MLSMessage, PrivateKeyPackage, Welcome } from 'ts-mls';
import {
  acceptAll, bytesToBase64, createApplicationMessage, createCommit, createGroup, decodeMlsMessage, defaultCapabilities,
  defaultKeyPackageEqualityConfig, defaultKeyRetentionConfig, defaultLifetimeConfig, defaultPaddingConfig,
  emptyPskIndex, encodeMlsMessage, generateKeyPackageWithKey, joinGroup, mlsExporter, processMessage,
} from 'ts-mls';
import type { ClientConfig } from 'ts-mls';
import { makeKeyPackageRef } from 'ts-mls/keyPackage.js';
import { makeProposalRef } from 'ts-mls/authenticatedContent.js';
import { equalBytes, hex } from './bytes';
import { cipherSuite, CIPHER_SUITE_NAME, type DeviceKeys } from './device';
import { type ExternalSenderKey, externalSendersExtension, hasOnlyExternalSender } from './externalSenders';
import { type CredentialVerifier, type MemberIdentity, validityOf } from './x509';

/** RFC 9605 §5.2 with SFrame suite AES_128_GCM_SHA256_128: the per-epoch base key, as the Java client derives it. */
export const SFRAME_EXPORTER_LABEL = 'SFrame 1.0 Base Key';
export const SFRAME_BASE_KEY_LENGTH = 16;

export class RejectedMessage extends Error {
  constructor(message: string, readonly cause?: unknown) {
    super(message);
    this.name = 'RejectedMessage';
  }
}

export class FutureEpoch extends Error {
  constructor(readonly messageEpoch: bigint, readonly memberEpoch: bigint) {
    super(`the message is for epoch ${messageEpoch}; this member is at ${memberEpoch}`);
    this.name = 'FutureEpoch';
  }
}

export type Outcome = 'proposal-queued' | 'removal-proposed' | 'epoch-advanced' | 'stale' | 'removed';

/** A KeyPackage this device published, with the private keys to join by it. */
export interface KeyPackageBundle {
  publicPackage: KeyPackage;
  privatePackage: PrivateKeyPackage;
  message: Uint8Array;
  ref: Uint8Array;
}

export interface PendingCommit {
  readonly owner: MlsMember;
  readonly epoch: bigint;
  readonly commit: Uint8Array;
  readonly welcome?: Uint8Array;
  readonly next: ClientState;
  readonly roster: Map<number, MemberIdentity>;
}

/** A device's credential: its certificate and the CA's, as the service issued them. */
export function x509Credential(certificates: Uint8Array[]): Credential {
  return { credentialType: 'x509', certificates } as Credential;
}

/** ts-mls' configuration with Parley's authentication service. */
export function clientConfig(verifier: CredentialVerifier, service: ExternalSenderKey): ClientConfig {
  return {
    keyRetentionConfig: defaultKeyRetentionConfig,
    lifetimeConfig: defaultLifetimeConfig,
    keyPackageEqualityConfig: defaultKeyPackageEqualityConfig,
    paddingConfig: defaultPaddingConfig,
    authService: {
      async validateCredential(credential: Credential, signaturePublicKey: Uint8Array): Promise<boolean> {
        if (equalBytes(signaturePublicKey, service.signaturePublicKey)) {
          return sameCredential(credential, service.credential);
        }
        if (credential.credentialType !== 'x509') return false;
        try {
          await verifier.verify(credential.certificates, signaturePublicKey);
          return true;
        } catch {
          return false;
        }
      },
    },
  };
}

function sameCredential(a: Credential, b: Credential): boolean {
  if (a.credentialType !== 'x509' || b.credentialType !== 'x509') return false;
  return a.certificates.length === b.certificates.length && a.certificates.every((c, i) => equalBytes(c, b.certificates[i]));
}

/** A new KeyPackage for this device; its leaf lives as long as the device certificate, capped to ts-mls' month. */
export async function newKeyPackage(keys: DeviceKeys, certificates: Uint8Array[]): Promise<KeyPackageBundle> {
  const cs = await cipherSuite();
  const validity = validityOf(certificates[0]);
  const max = validity.notBefore + defaultLifetimeConfig.maximumTotalLifetime;
  const lifetime = { notBefore: validity.notBefore, notAfter: validity.notAfter < max ? validity.notAfter : max };
  const generated = await generateKeyPackageWithKey(x509Credential(certificates), defaultCapabilities(), lifetime, [],
    { signKey: keys.signKey, publicKey: keys.publicKey }, cs);
  const message = encodeMlsMessage({ version: 'mls10', wireformat: 'mls_key_package', keyPackage: generated.publicPackage } as MLSMessage);
  return { ...generated, message, ref: await makeKeyPackageRef(generated.publicPackage, cs.hash) };
}

export function decodeMessage(bytes: Uint8Array): MLSMessage {
  let decoded: [MLSMessage, number] | undefined;
  try {
    decoded = decodeMlsMessage(bytes, 0);
  } catch (e) {
    throw new RejectedMessage(`not an MLS message: ${String(e)}`, e);
  }
  if (decoded === undefined || decoded[1] !== bytes.length) throw new RejectedMessage('not an MLS message');
  return decoded[0];
}

export class MlsMember {
  private outstanding: PendingCommit[] = [];
  /** References (base64) of this epoch's proposals that remove this member. */
  private removalsOfMe = new Set<string>();

  private constructor(private state: ClientState, private roster: Map<number, MemberIdentity>,
                      private readonly verifier: CredentialVerifier) {}

  /** Creates the call's group at epoch 0 with this device as its only member and the service as its one external sender. */
  static async create(groupId: Uint8Array, keys: DeviceKeys, certificates: Uint8Array[], service: ExternalSenderKey,
                      verifier: CredentialVerifier): Promise<MlsMember> {
    const me = await verifier.verify(certificates, keys.publicKey);
    const cs = await cipherSuite();
    const own = await newKeyPackage(keys, certificates);
    const state = await createGroup(groupId, own.publicPackage, own.privatePackage, [externalSendersExtension([service])], cs,
      clientConfig(verifier, service));
    return new MlsMember(state, new Map([[0, me]]), verifier);
  }

  /**
   * Joins from a Welcome if it is for one of `mine` (§12.4.3.1): undefined when it names none of
   * them. Refuses a group whose external senders are not exactly `service`, and any leaf whose
   * credential fails the verifier.
   */
  static async join(welcomeBytes: Uint8Array, mine: KeyPackageBundle[], service: ExternalSenderKey,
                    verifier: CredentialVerifier): Promise<{ member: MlsMember; used: KeyPackageBundle } | undefined> {
    const message = decodeMessage(welcomeBytes);
    if (message.wireformat !== 'mls_welcome') throw new RejectedMessage(`expected a Welcome, got ${message.wireformat}`);
    const welcome: Welcome = message.welcome;
    const used = mine.find((b) => welcome.secrets.some((s) => equalBytes(s.newMember, b.ref)));
    if (used === undefined) return undefined;
    if (welcome.cipherSuite !== CIPHER_SUITE_NAME) throw new RejectedMessage(`the Welcome uses cipher suite ${welcome.cipherSuite}`);
    const cs = await cipherSuite();
    const config = clientConfig(verifier, service);
    let state: ClientState;
    try {
      state = await joinGroup(welcome, used.publicPackage, used.privatePackage, emptyPskIndex, cs, undefined, undefined, config);
    } catch (e) {
      throw new RejectedMessage(`the Welcome does not verify: ${String(e)}`, e);
    }
    if (!hasOnlyExternalSender(state.groupContext.extensions, service)) {
      throw new RejectedMessage("the group's external senders are not exactly the key-distribution service");
    }
    const member = new MlsMember(state, new Map(), verifier);
    member.roster = await member.rosterOf(state, undefined);
    return { member, used };
  }

  /**
   * Handles a handshake message from the Delivery Service: a proposal is checked and queued, a
   * commit moves to the next epoch; this member's own commit, echoed back, confirms it.
   */
  async handle(bytes: Uint8Array): Promise<Outcome> {
    this.requireMember();
    const message = decodeMessage(bytes);
    if (message.wireformat !== 'mls_public_message') {
      throw new RejectedMessage(`handshake messages are PublicMessages, not ${message.wireformat}`);
    }
    const content = message.publicMessage.content;
    if (!equalBytes(content.groupId, this.state.groupContext.groupId)) throw new RejectedMessage('the message is for another group');
    if (content.epoch < this.epoch) return 'stale';
    if (content.epoch > this.epoch) throw new FutureEpoch(content.epoch, this.epoch);
    const cs = await cipherSuite();
    if (content.contentType === 'proposal') {
      const proposal = content.proposal;
      if (proposal.proposalType !== 'add' && proposal.proposalType !== 'remove') {
        throw new RejectedMessage(`Parley does not use ${String(proposal.proposalType)} proposals`);
      }
      if (content.sender.senderType !== 'member' && content.sender.senderType !== 'external') {
        throw new RejectedMessage(`proposals come from members or the key-distribution service, not ${content.sender.senderType}`);
      }
      if (proposal.proposalType === 'add') {
        const leaf = proposal.add.keyPackage.leafNode;
        if (leaf.credential.credentialType !== 'x509') throw new RejectedMessage('an Add without an X.509 credential');
        await this.verifier.verify(leaf.credential.certificates, leaf.signaturePublicKey);
      }
      const result = await this.process(message, cs);
      if (proposal.proposalType === 'remove' && proposal.remove.removed === this.leafIndex) {
        const ref = bytesToBase64(await makeProposalRef({ wireformat: 'mls_public_message', content, auth: message.publicMessage.auth } as never, cs.hash));
        this.removalsOfMe.add(ref);
        this.state = result;
        return 'removal-proposed';
      }
      this.state = result;
      return 'proposal-queued';
    }
    if (content.contentType !== 'commit') throw new RejectedMessage(`Parley sends no ${content.contentType} handshake messages`);
    if (content.sender.senderType !== 'member') throw new RejectedMessage('Parley uses no external commits');
    const committer = content.sender.leafIndex;
    if (committer === this.leafIndex) {
      const mine = this.outstanding.find((p) => equalBytes(p.commit, bytes));
      if (mine === undefined) throw new RejectedMessage("a commit from this member's leaf that it has not made");
      this.confirm(mine);
      return 'epoch-advanced';
    }
    for (const entry of content.commit.proposals) {
      if (entry.proposalOrRefType === 'proposal') {
        const type = entry.proposal.proposalType;
        if (type !== 'add' && type !== 'remove') throw new RejectedMessage(`Parley does not use ${String(type)} proposals`);
      } else if (!(bytesToBase64(entry.reference) in this.state.unappliedProposals)) {
        throw new RejectedMessage('the commit references a proposal this member has not received');
      }
    }
    const next = await this.process(message, cs);
    if (next.groupActiveState.kind === 'removedFromGroup') {
      this.state = next;
      this.outstanding = [];
      return 'removed';
    }
    const roster = await this.rosterOf(next, committer);
    this.adopt(next, roster);
    return 'epoch-advanced';
  }

  private async process(message: MLSMessage, cs: Awaited<ReturnType<typeof cipherSuite>>): Promise<ClientState> {
    let result;
    try {
      result = await processMessage(message as never, this.state, emptyPskIndex, acceptAll, cs);
    } catch (e) {
      throw new RejectedMessage(`the message is refused: ${String(e)}`, e);
    }
    return result.newState;
  }

  /**
   * Commits every queued proposal by reference, as a PublicMessage with the ratchet tree in the
   * Welcome's GroupInfo (bcmls needs it). The member stays in its epoch until confirm or discard.
   */
  async commit(): Promise<PendingCommit> {
    this.requireMember();
    if (this.removalsOfMe.size > 0) throw new Error('a member cannot commit its own removal (RFC 9420 §12.2)');
    const cs = await cipherSuite();
    let result;
    try {
      result = await createCommit({ state: this.state, cipherSuite: cs }, { wireAsPublicMessage: true, ratchetTreeExtension: true });
    } catch (e) {
      throw new RejectedMessage(`the commit cannot be made: ${String(e)}`, e);
    }
    const roster = await this.rosterOf(result.newState, this.leafIndex);
    const pending: PendingCommit = {
      owner: this,
      epoch: this.epoch,
      commit: encodeMlsMessage(result.commit),
      welcome: result.welcome === undefined ? undefined
        : encodeMlsMessage({ version: 'mls10', wireformat: 'mls_welcome', welcome: result.welcome } as MLSMessage),
      next: result.newState,
      roster,
    };
    this.outstanding.push(pending);
    return pending;
  }

  /** The Delivery Service accepted the commit: move to its epoch (a no-op if the stream already brought it). */
  confirm(commit: PendingCommit): boolean {
    if (commit.owner !== this || commit.epoch !== this.epoch || this.removed) return false;
    this.adopt(commit.next, commit.roster);
    return true;
  }

  /** The Delivery Service refused the commit: forget it; the queued proposals stay. */
  discard(commit: PendingCommit): void {
    this.outstanding = this.outstanding.filter((p) => p !== commit);
  }

  private adopt(next: ClientState, roster: Map<number, MemberIdentity>): void {
    this.state = next;
    this.roster = roster;
    this.outstanding = [];
    this.removalsOfMe.clear();
  }

  /** The leaves of `state`, verified: unchanged leaves keep their identity, new or changed ones are checked. */
  private async rosterOf(state: ClientState, committer: number | undefined): Promise<Map<number, MemberIdentity>> {
    const before = this.state.ratchetTree;
    const roster = new Map<number, MemberIdentity>();
    for (let node = 0; node < state.ratchetTree.length; node += 2) {
      const entry = state.ratchetTree[node];
      if (entry === undefined || entry.nodeType !== 'leaf') continue;
      const leafIndex = node / 2;
      const leaf = entry.leaf;
      const old = before[node];
      const known = this.roster.get(leafIndex);
      if (known && old?.nodeType === 'leaf' && equalBytes(old.leaf.signature, leaf.signature)) {
        roster.set(leafIndex, known);
        continue;
      }
      if (leaf.credential.credentialType !== 'x509') throw new RejectedMessage(`leaf ${leafIndex} has no X.509 credential`);
      const identity = await this.verifier.verify(leaf.credential.certificates, leaf.signaturePublicKey);
      if (known && leafIndex === committer && (known.userId !== identity.userId || known.deviceId !== identity.deviceId)) {
        throw new RejectedMessage(`the committer's leaf changed from ${known.userId}/${known.deviceId} to ${identity.userId}/${identity.deviceId}`);
      }
      roster.set(leafIndex, identity);
    }
    return roster;
  }

  /** An MLS application message (a PrivateMessage) carrying `plaintext`. */
  async encrypt(plaintext: Uint8Array): Promise<Uint8Array> {
    this.requireMember();
    const cs = await cipherSuite();
    const { newState, privateMessage } = await createApplicationMessage(this.state, plaintext, cs);
    this.state = newState;
    return encodeMlsMessage({ version: 'mls10', wireformat: 'mls_private_message', privateMessage } as MLSMessage);
  }

  /** The epoch an application message was sent in (readable without keys). */
  static applicationEpoch(bytes: Uint8Array): bigint {
    const message = decodeMessage(bytes);
    if (message.wireformat !== 'mls_private_message') throw new RejectedMessage('an application message is a PrivateMessage');
    return message.privateMessage.epoch;
  }

  /** The plaintext of an application message of this or a retained earlier epoch. */
  async decrypt(bytes: Uint8Array): Promise<{ plaintext: Uint8Array; sender: number | undefined }> {
    this.requireMember();
    const message = decodeMessage(bytes);
    if (message.wireformat !== 'mls_private_message') throw new RejectedMessage('an application message is a PrivateMessage');
    if (!equalBytes(message.privateMessage.groupId, this.state.groupContext.groupId)) throw new RejectedMessage('for another group');
    if (message.privateMessage.epoch > this.epoch) throw new FutureEpoch(message.privateMessage.epoch, this.epoch);
    const cs = await cipherSuite();
    let result;
    try {
      result = await processMessage(message as never, this.state, emptyPskIndex, acceptAll, cs);
    } catch (e) {
      throw new RejectedMessage(`the application message does not decrypt: ${String(e)}`, e);
    }
    if (result.kind !== 'applicationMessage') throw new RejectedMessage('not an application message');
    this.state = result.newState;
    return { plaintext: result.message, sender: undefined };
  }

  /**
   * Test hook (issue 8, "a desynced page"): replaces this member's epoch secrets with random bytes,
   * as if its state had silently diverged from the group's. Its exporter (so its SFrame keys), its
   * security code and its application keys no longer match the others', and the next commit it
   * receives fails to verify.
   */
  async corrupt(): Promise<void> {
    const cs = await cipherSuite();
    const random = (n: number) => cs.rng.randomBytes(n);
    const ks = this.state.keySchedule;
    this.state = {
      ...this.state,
      keySchedule: {
        senderDataSecret: random(ks.senderDataSecret.length), exporterSecret: random(ks.exporterSecret.length),
        externalSecret: random(ks.externalSecret.length), confirmationKey: random(ks.confirmationKey.length),
        membershipKey: random(ks.membershipKey.length), resumptionPsk: random(ks.resumptionPsk.length),
        epochAuthenticator: random(ks.epochAuthenticator.length), initSecret: random(ks.initSecret.length),
      },
      historicalReceiverData: new Map(),
    };
  }

  private requireMember(): void {
    if (this.removed) throw new Error(`this member was removed from the group at epoch ${this.epoch}`);
  }

  get removed(): boolean {
    return this.state.groupActiveState.kind === 'removedFromGroup';
  }

  /** Whether proposals wait for a commit. */
  get hasQueuedProposals(): boolean {
    return Object.keys(this.state.unappliedProposals).length > 0;
  }

  /** Whether a queued proposal removes this member (it then commits nothing: others will). */
  get removalPending(): boolean {
    return this.removalsOfMe.size > 0;
  }

  get epoch(): bigint {
    return this.state.groupContext.epoch;
  }

  get groupId(): Uint8Array {
    return this.state.groupContext.groupId;
  }

  get groupIdHex(): string {
    return hex(this.state.groupContext.groupId);
  }

  get leafIndex(): number {
    return this.state.privatePath.leafIndex;
  }

  /** The tree's leaf count (SFrame's group_size, docs/mls-interop.md). */
  get leafCount(): number {
    return (this.state.ratchetTree.length + 1) / 2;
  }

  /** The members by leaf, as their certificates name them. */
  get members(): Map<number, MemberIdentity> {
    return new Map(this.roster);
  }

  /** RFC 9420 §8.7: equal for all members of an epoch. */
  get epochAuthenticator(): Uint8Array {
    return this.state.keySchedule.epochAuthenticator.slice();
  }

  /** MLS-Exporter(label, context, length) of the current epoch (§8.5). */
  async exporter(label: string, context: Uint8Array, length: number): Promise<Uint8Array> {
    return mlsExporter(this.state.keySchedule.exporterSecret, label, context, length, await cipherSuite());
  }
}
