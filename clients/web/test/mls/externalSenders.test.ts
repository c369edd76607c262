import { describe, expect, it } from 'vitest';
import type { ClientState, MLSMessage, Proposal } from 'ts-mls';
import {
  acceptAll, createCommit, createGroup, decodeExternalSender, defaultCapabilities, defaultLifetime, emptyPskIndex,
  generateKeyPackage, processMessage, proposeExternal,
} from 'ts-mls';
import { protectExternalProposalPublic } from 'ts-mls/messageProtectionPublic.js';
import { senderFromExtension } from 'ts-mls/publicMessage.js';
import { patchTsMlsModule } from '../../patches/ts-mls-external-senders';
import { cipherSuite } from '../../src/mls/device';
import {
  assertTsMlsPatched, decodeExternalSenders, encodeExternalSenders, type ExternalSenderKey, externalSendersExtension,
  hasOnlyExternalSender,
} from '../../src/mls/externalSenders';

const fromHex = (h: string) => Uint8Array.from(h.match(/../g)!.map((b) => parseInt(b, 16)));
const utf8 = (s: string) => new TextEncoder().encode(s);

// Written by Bouncy Castle bcmls 1.84 (what the key-distribution service runs):
// Extension.externalSender(List.of(s1)) and (List.of(s1, s2)).extension_data, where s1 = (32 × 0x11,
// basic "parley:service:key-distribution") and s2 = (32 × 0x22, basic "second").
const BCMLS_ONE = fromHex('404320' + '11'.repeat(32) + '00011f' + '7061726c65793a736572766963653a6b65792d646973747269627574696f6e');
const BCMLS_TWO = fromHex('406d20' + '11'.repeat(32) + '00011f' + '7061726c65793a736572766963653a6b65792d646973747269627574696f6e'
  + '20' + '22'.repeat(32) + '0001067365636f6e64');
const S1: ExternalSenderKey = { signaturePublicKey: new Uint8Array(32).fill(0x11), credential: { credentialType: 'basic', identity: utf8('parley:service:key-distribution') } };
const S2: ExternalSenderKey = { signaturePublicKey: new Uint8Array(32).fill(0x22), credential: { credentialType: 'basic', identity: utf8('second') } };

describe('external_senders as RFC 9420 §12.1.8.1 lists it', () => {
  it('decodes the list bcmls writes, and encodes the same bytes', () => {
    expect(decodeExternalSenders(BCMLS_ONE)).toEqual([S1]);
    expect(decodeExternalSenders(BCMLS_TWO)).toEqual([S1, S2]);
    expect(encodeExternalSenders([S1])).toEqual(BCMLS_ONE);
    expect(encodeExternalSenders([S1, S2])).toEqual(BCMLS_TWO);
  });

  it('is what unpatched ts-mls misreads: one ExternalSender does not decode from the list', () => {
    // The pre-PR #682 reading starts at the list's length prefix and takes it for the key's.
    const misread = decodeExternalSender(BCMLS_ONE, 0);
    expect(misread === undefined || misread[1] !== BCMLS_ONE.length).toBe(true);
  });

  it('refuses trailing bytes', () => {
    expect(() => decodeExternalSenders(Uint8Array.of(...BCMLS_ONE, 0))).toThrow();
  });

  it('patched ts-mls resolves sender_index into the list', () => {
    assertTsMlsPatched();
    const extensions = [{ extensionType: 'external_senders', extensionData: BCMLS_TWO }] as never;
    expect(senderFromExtension(extensions, 0)?.signaturePublicKey).toEqual(S1.signaturePublicKey);
    expect(senderFromExtension(extensions, 1)?.signaturePublicKey).toEqual(S2.signaturePublicKey);
    expect(senderFromExtension(extensions, 2)).toBeUndefined();
  });

  it('checks a group lists exactly the service', () => {
    expect(hasOnlyExternalSender([externalSendersExtension([S1])], S1)).toBe(true);
    expect(hasOnlyExternalSender([externalSendersExtension([S1, S2])], S1)).toBe(false);
    expect(hasOnlyExternalSender([externalSendersExtension([S2])], S1)).toBe(false);
    expect(hasOnlyExternalSender([], S1)).toBe(false);
  });

  it('a member verifies, queues and commits an external proposal signed by the second sender of the list', async () => {
    const cs = await cipherSuite();
    const service = await cs.signature.keygen();
    const senders: ExternalSenderKey[] = [S1, { signaturePublicKey: service.publicKey, credential: S2.credential }];
    const basic = (name: string) => ({ credentialType: 'basic' as const, identity: utf8(name) });
    const alice = await generateKeyPackage(basic('alice'), defaultCapabilities(), defaultLifetime, [], cs);
    const bob = await generateKeyPackage(basic('bob'), defaultCapabilities(), defaultLifetime, [], cs);
    let state: ClientState = await createGroup(utf8('group'), alice.publicPackage, alice.privatePackage,
      [externalSendersExtension(senders)], cs);
    const add: Proposal = { proposalType: 'add', add: { keyPackage: bob.publicPackage } };
    const signed = async (senderIndex: number) => ({
      version: 'mls10', wireformat: 'mls_public_message',
      publicMessage: (await protectExternalProposalPublic(service.signKey, state.groupContext, new Uint8Array(), add,
        { senderType: 'external', senderIndex }, cs)).publicMessage,
    }) as MLSMessage;

    await expect(processMessage(await signed(0) as never, state, emptyPskIndex, acceptAll, cs)).rejects.toThrow();
    state = (await processMessage(await signed(1) as never, state, emptyPskIndex, acceptAll, cs)).newState;
    expect(Object.keys(state.unappliedProposals)).toHaveLength(1);
    const committed = await createCommit({ state, cipherSuite: cs }, { wireAsPublicMessage: true, ratchetTreeExtension: true });
    expect(committed.newState.groupContext.epoch).toBe(1n);
    expect(committed.welcome).toBeDefined();

    // proposeExternal (ts-mls' own external sender side) finds the key's place in the list.
    const groupInfo = { groupContext: state.groupContext } as never;
    const proposed = await proposeExternal(groupInfo, add, service.publicKey, service.signKey, cs);
    expect((proposed as { publicMessage: { content: { sender: unknown } } }).publicMessage.content.sender)
      .toEqual({ senderType: 'external', senderIndex: 1 });
  });

  it('the patch fails loudly when ts-mls no longer has the text it replaces', () => {
    expect(() => patchTsMlsModule('/x/node_modules/ts-mls/dist/src/publicMessage.js', 'export const x = 1;')).toThrow(/ts-mls upgraded/);
    expect(patchTsMlsModule('/x/node_modules/ts-mls/dist/src/other.js', 'export const x = 1;')).toBeUndefined();
  });
});

describe('the patch in the dev server', () => {
  it("applies in Vite's dependency pre-bundling (esbuild)", async () => {
    const { build } = await import('esbuild');
    const { tsMlsExternalSenders } = await import('../../patches/ts-mls-external-senders');
    const config = (tsMlsExternalSenders().config as () => { optimizeDeps: { esbuildOptions: { plugins: never[] } } })();
    const result = await build({
      stdin: { contents: "export { processMessage } from 'ts-mls'; export * from 'ts-mls/externalSender.js';", resolveDir: new URL('../..', import.meta.url).pathname },
      bundle: true, write: false, format: 'esm', platform: 'browser', logLevel: 'silent',
      plugins: config.optimizeDeps.esbuildOptions.plugins,
    });
    const code = result.outputFiles[0].text;
    expect(code).toContain('parleyExternalSendersPatch');
    expect(code).not.toContain('externalSenderExtensions[senderIndex]');
  });
});
