/**
 * The `external_senders` group-context extension as RFC 9420 §12.1.8.1 defines it:
 * `ExternalSender external_senders<V>`. Parley's groups list exactly one: the key-distribution
 * service. ts-mls 1.6.4 needs patches/ts-mls-external-senders.ts to read this form.
 */
import type { Credential, Extension } from 'ts-mls';
import { decodeExternalSender, encodeExternalSender } from 'ts-mls';
import { decodeVarLenType } from 'ts-mls/codec/variableLength.js';
import * as tsMlsExternalSender from 'ts-mls/externalSender.js';
import { senderFromExtension } from 'ts-mls/publicMessage.js';
import { concat, equalBytes } from './bytes';

export interface ExternalSenderKey {
  signaturePublicKey: Uint8Array;
  credential: Credential;
}

/** RFC 9420 §13.1 extension type of external_senders. */
export const EXTERNAL_SENDERS_TYPE = 5;

/** The QUIC-style variable-length prefix of RFC 9420 §2.1.2. */
function varint(n: number): Uint8Array {
  if (n < 0x40) return Uint8Array.of(n);
  if (n < 0x4000) return Uint8Array.of(0x40 | (n >> 8), n & 0xff);
  if (n < 0x40000000) return Uint8Array.of(0x80 | (n >>> 24), (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
  throw new RangeError('too long for MLS');
}

/** `ExternalSender external_senders<V>`: the extension_data of an external_senders extension. */
export function encodeExternalSenders(senders: ExternalSenderKey[]): Uint8Array {
  const items = concat(...senders.map((s) => encodeExternalSender(s)));
  return concat(varint(items.length), items);
}

/** The list in an external_senders extension_data; throws unless it decodes exactly (no trailing bytes). */
export function decodeExternalSenders(data: Uint8Array): ExternalSenderKey[] {
  const decoded = decodeVarLenType(decodeExternalSender)(data, 0);
  if (decoded === undefined || decoded[1] !== data.length) {
    throw new Error('external_senders does not decode as ExternalSender external_senders<V>');
  }
  return decoded[0];
}

/** The group-context extension listing `senders`, in the form ts-mls' Extension type takes. */
export function externalSendersExtension(senders: ExternalSenderKey[]): Extension {
  return { extensionType: 'external_senders', extensionData: encodeExternalSenders(senders) } as Extension;
}

/** Whether `extensions` hold exactly one external_senders extension listing exactly `expected`. */
export function hasOnlyExternalSender(extensions: Extension[], expected: ExternalSenderKey): boolean {
  const found = extensions.filter((e) => (e.extensionType as unknown) === 'external_senders'
    || (e.extensionType as unknown) === EXTERNAL_SENDERS_TYPE);
  if (found.length !== 1) return false;
  let senders: ExternalSenderKey[];
  try {
    senders = decodeExternalSenders(found[0].extensionData);
  } catch {
    return false;
  }
  return senders.length === 1 && equalBytes(encodeExternalSender(senders[0]), encodeExternalSender(expected));
}

/**
 * Fails unless the loaded ts-mls carries Parley's external_senders patch, so a build that forgot
 * the Vite plugin fails at once instead of on the service's first proposal.
 */
export function assertTsMlsPatched(): void {
  const patched = (tsMlsExternalSender as Record<string, unknown>).parleyExternalSendersPatch === true;
  const probe: ExternalSenderKey[] = [
    { signaturePublicKey: new Uint8Array(32).fill(1), credential: { credentialType: 'basic', identity: Uint8Array.of(1) } },
    { signaturePublicKey: new Uint8Array(32).fill(2), credential: { credentialType: 'basic', identity: Uint8Array.of(2) } },
  ];
  let second: ExternalSenderKey | undefined;
  try {
    second = senderFromExtension([externalSendersExtension(probe)], 1);
  } catch {
    second = undefined;
  }
  if (!patched || second === undefined || !equalBytes(second.signaturePublicKey, probe[1].signaturePublicKey)) {
    throw new Error('ts-mls is not patched to read RFC 9420 external_senders lists: build with '
      + 'clients/web/vite.config.ts (patches/ts-mls-external-senders.ts)');
  }
}
