/**
 * A build-time patch of ts-mls 1.6.4: read the `external_senders` group-context extension as the
 * list that RFC 9420 §12.1.8.1 defines, and resolve an external proposal's `sender_index` into it.
 *
 * WHAT. RFC 9420 §12.1.8.1:
 *
 *     ExternalSender external_senders<V>;     // the extension_data of extension type 5
 *
 * and an external sender's `sender_index` (§6) is an index into that list. ts-mls 1.6.4 (and
 * 2.0.0-rc.10) still implements the draft before mls-protocol PR #682 (one ExternalSender per
 * extension, `sender_index` indexing the extensions themselves). Parley's key-distribution service
 * (Bouncy Castle bcmls) writes the RFC's list with one entry, so unpatched ts-mls fails every
 * proposal of the service with "Could not decode ExternalSender" (pinned by
 * clients/java/.../TsMlsInteropTest#tsMlsCannotReadTheRfcExternalSendersList; docs/mls-interop.md).
 *
 * HOW. Four modules of `ts-mls/dist/src` are rewritten as they are loaded, each replacement an
 * exact text match that fails the build if ts-mls changes (so an upgrade cannot silently drop it):
 *
 *  - externalSender.js gains `decodeExternalSenders` (the list decoder), `externalSendersEncoder`
 *    and `externalSendersOf(extensions)` (the group's list, `[]` without the extension, `undefined`
 *    when it does not decode, has trailing bytes, or appears twice — §13.4);
 *  - publicMessage.js `senderFromExtension`: `externalSendersOf(extensions)[senderIndex]`;
 *  - clientState.js `validateExternalSenders`: validates every sender of the list;
 *  - externalProposal.js `proposeExternal`: `sender_index` = position of the key in the list.
 *
 * WHERE it applies (clients/web/vite.config.ts): `vite build` and the dev server's module graph
 * (the Vite `transform` hook), the dev server's dependency pre-bundling (the esbuild `onLoad`
 * plugin), and Vitest (ts-mls is inlined with `test.server.deps.inline` so it goes through the
 * same `transform`). npm here runs no install scripts, so a postinstall patch-package would not
 * run; this needs nothing at install time and survives `npm ci`. At run time
 * `src/mls/externalSenders.ts#assertTsMlsPatched` checks the patch is in the loaded ts-mls and
 * `CallGroup` refuses to start without it.
 *
 * Upstream: drop this file once ts-mls decodes the list (the check above then fails loudly
 * because the text it replaces is gone; TsMlsInteropTest in clients/java fails the same day).
 */
import type { Plugin } from 'vite';

/** node:fs, loaded when the plugin runs (this module has no Node types: the web app's tsconfig checks its tests). */
async function readText(path: string): Promise<string> {
  const fs = (await import('node:fs/promises' as string)) as { readFile(path: string, encoding: string): Promise<string> };
  return fs.readFile(path, 'utf8');
}

export const PATCH_MARKER = 'parley-patch: RFC 9420 §12.1.8.1 external_senders list';

type Replacement = { from: string; to: string };

const EXTERNAL_SENDER: Replacement[] = [
  {
    from: 'import { decodeCredential, credentialEncoder } from "./credential.js";',
    to: `import { decodeCredential, credentialEncoder } from "./credential.js";
import { decodeVarLenType as parleyDecodeVarLenType, varLenTypeEncoder as parleyVarLenTypeEncoder } from "./codec/variableLength.js";`,
  },
  {
    from: 'export const decodeExternalSender = mapDecoders([decodeVarLenData, decodeCredential], (signaturePublicKey, credential) => ({ signaturePublicKey, credential }));',
    to: `export const decodeExternalSender = mapDecoders([decodeVarLenData, decodeCredential], (signaturePublicKey, credential) => ({ signaturePublicKey, credential }));
// ${PATCH_MARKER}: ExternalSender external_senders<V>;
export const decodeExternalSenders = parleyDecodeVarLenType(decodeExternalSender);
export const externalSendersEncoder = parleyVarLenTypeEncoder(externalSenderEncoder);
export const encodeExternalSenders = encode(externalSendersEncoder);
export const parleyExternalSendersPatch = true;
/** The group's external senders: [] without the extension; undefined if malformed or present twice. */
export function externalSendersOf(extensions) {
    const found = extensions.filter((ex) => ex.extensionType === "external_senders");
    if (found.length === 0)
        return [];
    if (found.length > 1)
        return undefined;
    const data = found[0].extensionData;
    let decoded;
    try {
        decoded = decodeExternalSenders(data, 0);
    }
    catch {
        return undefined;
    }
    if (decoded === undefined || decoded[1] !== data.length)
        return undefined;
    return decoded[0];
}`,
  },
];

const PUBLIC_MESSAGE: Replacement[] = [
  {
    from: 'import { decodeExternalSender } from "./externalSender.js";',
    to: 'import { externalSendersOf } from "./externalSender.js";',
  },
  {
    from: `    const externalSenderExtensions = extensions.filter((ex) => ex.extensionType === "external_senders");
    const externalSenderExtension = externalSenderExtensions[senderIndex];
    if (externalSenderExtension !== undefined) {
        const externalSender = decodeExternalSender(externalSenderExtension.extensionData, 0);
        if (externalSender === undefined)
            throw new CodecError("Could not decode ExternalSender");
        return externalSender[0];
    }`,
    to: `    // ${PATCH_MARKER}: sender_index indexes the list
    const externalSenders = externalSendersOf(extensions);
    if (externalSenders === undefined)
        throw new CodecError("Could not decode ExternalSender");
    return externalSenders[senderIndex];`,
  },
];

const CLIENT_STATE: Replacement[] = [
  {
    from: 'import { decodeExternalSender } from "./externalSender.js";',
    to: 'import { externalSendersOf } from "./externalSender.js";',
  },
  {
    from: `    const externalSenders = extensions.filter((e) => e.extensionType === "external_senders");
    for (const externalSender of externalSenders) {
        const decoded = decodeExternalSender(externalSender.extensionData, 0);
        if (decoded === undefined)
            return new CodecError("Could not decode external_senders");
        const validCredential = await authService.validateCredential(decoded[0].credential, decoded[0].signaturePublicKey);`,
    to: `    // ${PATCH_MARKER}: every sender of the list
    const externalSenders = externalSendersOf(extensions);
    if (externalSenders === undefined)
        return new CodecError("Could not decode external_senders");
    for (const externalSender of externalSenders) {
        const validCredential = await authService.validateCredential(externalSender.credential, externalSender.signaturePublicKey);`,
  },
];

const EXTERNAL_PROPOSAL: Replacement[] = [
  {
    from: 'import { decodeExternalSender } from "./externalSender.js";',
    to: 'import { externalSendersOf } from "./externalSender.js";',
  },
  {
    from: `    const externalSenderExtensionIndex = groupInfo.groupContext.extensions.findIndex((ex) => {
        if (ex.extensionType !== "external_senders")
            return false;
        const decoded = decodeExternalSender(ex.extensionData, 0);
        if (decoded === undefined)
            throw new ValidationError("Could not decode external_sender extension");
        return constantTimeEqual(decoded[0].signaturePublicKey, signaturePublicKey);
    });`,
    to: `    // ${PATCH_MARKER}: sender_index is the key's place in the list
    const externalSenders = externalSendersOf(groupInfo.groupContext.extensions);
    if (externalSenders === undefined)
        throw new ValidationError("Could not decode external_sender extension");
    const externalSenderExtensionIndex = externalSenders.findIndex((s) => constantTimeEqual(s.signaturePublicKey, signaturePublicKey));`,
  },
];

const PATCHES: Record<string, Replacement[]> = {
  'externalSender.js': EXTERNAL_SENDER,
  'publicMessage.js': PUBLIC_MESSAGE,
  'clientState.js': CLIENT_STATE,
  'externalProposal.js': EXTERNAL_PROPOSAL,
};

const TS_MLS_MODULE = /[\\/]ts-mls[\\/]dist[\\/]src[\\/](externalSender|publicMessage|clientState|externalProposal)\.js$/;

const TS_MLS_FILE = /[\\/]node_modules[\\/]ts-mls[\\/]dist[\\/]src[\\/].*\.js$/;

/** The patched source of a ts-mls module, or undefined for a module this patch leaves alone. */
export function patchTsMlsModule(id: string, code: string): string | undefined {
  const match = TS_MLS_MODULE.exec(id.split('?')[0]);
  if (!match) return undefined;
  if (code.includes(PATCH_MARKER)) return code;
  let patched = code;
  for (const { from, to } of PATCHES[`${match[1]}.js`]) {
    const at = patched.indexOf(from);
    if (at < 0 || patched.indexOf(from, at + 1) >= 0) {
      throw new Error(`ts-mls external_senders patch: ${match[1]}.js no longer has the text it replaces `
        + `(ts-mls upgraded? see clients/web/patches/ts-mls-external-senders.ts):\n${from}`);
    }
    patched = patched.slice(0, at) + to + patched.slice(at + from.length);
  }
  return patched;
}

/** The Vite plugin: rewrites the modules in Vite's and Vitest's module graph and in dependency pre-bundling. */
export function tsMlsExternalSenders(): Plugin {
  return {
    name: 'parley-ts-mls-external-senders',
    enforce: 'pre',
    config() {
      return {
        optimizeDeps: {
          esbuildOptions: {
            plugins: [{
              name: 'parley-ts-mls-external-senders',
              setup(build) {
                build.onLoad({ filter: TS_MLS_MODULE }, async (args) => {
                  const contents = patchTsMlsModule(args.path, await readText(args.path));
                  return contents === undefined ? undefined : { contents, loader: 'js' };
                });
              },
            }],
          },
        },
      };
    },
    // Loading ts-mls' modules here also drops their sourceMappingURL comments: the maps point at
    // TypeScript sources the package does not ship, and Vite warns about every one of them.
    async load(id) {
      const path = id.split('?')[0];
      if (!TS_MLS_FILE.test(path)) return null;
      const code = (await readText(path)).replace(/\n\/\/# sourceMappingURL=.*$/, '\n');
      return { code: patchTsMlsModule(path, code) ?? code, map: null };
    },
    transform(code, id) {
      const patched = patchTsMlsModule(id, code);
      return patched === undefined || patched === code ? null : { code: patched, map: null };
    },
  };
}
