/**
 * Web (ts-mls) members of call groups, for interop tests against the real key-distribution
 * service: services/key-distribution's WebMlsInteropIT drives this over stdin/stdout. Each input
 * line is a JSON command with an `id` and a `member` name; each output line is the JSON answer with
 * the same `id` (`ok: false` and `error` on failure). Commands run concurrently, so one member can
 * wait for its Welcome while others commit. Binary values are standard base64.
 *
 * Built for Node with the ts-mls external_senders patch by `npx vite build --config
 * test/interop/vite.config.mjs` (to test/interop/dist/kd-member.mjs).
 */
import { fromBase64Url, toBase64Url } from '../../src/mls/bytes';
import { CallGroup, type EpochInfo } from '../../src/mls/callGroup';
import { generateDeviceKeys } from '../../src/mls/device';
import { KeyDistributionClient } from '../../src/mls/kdClient';

const members = new Map<string, CallGroup>();
/** The little of Node's process this needs (the web app's tsconfig has no Node types). */
interface NodeProcess {
  stdin: { setEncoding(e: string): void; on(event: 'data', f: (chunk: string) => void): void; on(event: 'end', f: () => void): void };
  stdout: { write(text: string): boolean };
  stderr: { write(text: string): boolean };
  exit(code: number): never;
}
const process = (globalThis as unknown as { process: NodeProcess }).process;
/** Standard base64 with padding, as Java's Base64.getDecoder() reads it. */
const b64 = (bytes: Uint8Array) => {
  const url = toBase64Url(bytes).replace(/-/g, '+').replace(/_/g, '/');
  return url + '='.repeat((4 - (url.length % 4)) % 4);
};

function summary(info: EpochInfo | undefined) {
  if (!info) return { joined: false };
  return {
    joined: true,
    groupId: info.groupId,
    epoch: Number(info.epoch),
    exporter: b64(info.exporterBaseKey),
    epochAuthenticator: b64(info.epochAuthenticator),
    code: info.securityCode.digits,
    emoji: info.securityCode.emoji.join(''),
    words: info.securityCode.words.join(' '),
    ownLeafIndex: info.ownLeafIndex,
    leafCount: info.leafCount,
    members: info.members.map((m) => ({ leafIndex: m.leafIndex, userId: m.userId, deviceId: m.deviceId })),
  };
}

function member(name: string): CallGroup {
  const group = members.get(name);
  if (!group) throw new Error(`no member ${name}`);
  return group;
}

type Command = Record<string, unknown> & { id: unknown; op: string; member: string };

const commands: Record<string, (c: Command) => Promise<object>> = {
  async open(c) {
    const kd = new KeyDistributionClient(c.urls as string[], () => c.token as string);
    const group = await CallGroup.open({ kd, keys: await generateDeviceKeys(), keyPackages: 3 });
    group.on('error', ({ error }) => process.stderr.write(`[${c.member}] ${String(error)}\n`));
    group.on('desynced', ({ error }) => process.stderr.write(`[${c.member}] desynced: ${String(error)}\n`));
    members.set(c.member, group);
    return { deviceId: group.device.deviceId, userId: group.device.userId };
  },
  async join(c) {
    return summary(await member(c.member).join(c.roomId as string, c.participantId as string));
  },
  /** Waits until the member is at `epoch` or later with `leaves` members. */
  async await(c) {
    const group = member(c.member);
    await group.until(() => group.joined && group.current !== undefined && group.current.epoch >= BigInt(c.epoch as number)
      && (c.leaves === undefined || group.current.members.length === c.leaves), (c.timeoutMs as number) ?? 15000,
    `epoch ${c.epoch} with ${c.leaves} leaves`).catch((error: unknown) => {
      const now = group.current;
      throw new Error(`${String(error)}; reported: epoch ${now?.epoch}, members ${now?.members.map((m) => m.leafIndex)}, `
        + `stats ${JSON.stringify(group.stats)}`);
    });
    return summary(group.current);
  },
  async state(c) {
    const group = member(c.member);
    return { ...summary(group.current), stats: group.stats, closed: group.groupClosed };
  },
  async encrypt(c) {
    return { message: b64(await member(c.member).encryptApplication(new TextEncoder().encode(c.text as string))) };
  },
  async decrypt(c) {
    const plaintext = await member(c.member).decryptApplication(fromBase64Url(c.message as string),
      (c.timeoutMs as number) ?? 5000);
    return { text: new TextDecoder().decode(plaintext) };
  },
  async desync(c) {
    await member(c.member).forceDesync();
    return summary(member(c.member).current);
  },
  async rejoin(c) {
    await member(c.member).rejoin();
    return {};
  },
  async leave(c) {
    const group = member(c.member);
    const last = summary(group.current);
    group.leave();
    return last;
  },
};

function onLine(line: string): void {
  let command: Command;
  try {
    command = JSON.parse(line) as Command;
  } catch (e) {
    process.stdout.write(JSON.stringify({ ok: false, error: `not JSON: ${String(e)}` }) + '\n');
    return;
  }
  const run = commands[command.op];
  (run ? run(command) : Promise.reject(new Error(`unknown op ${command.op}`)))
    .then((answer) => ({ id: command.id, ok: true, ...answer }))
    .catch((error: unknown) => ({ id: command.id, ok: false, error: String((error as Error)?.stack ?? error) }))
    .then((answer) => process.stdout.write(JSON.stringify(answer) + '\n'));
}

let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  let end: number;
  while ((end = pending.indexOf('\n')) >= 0) {
    const line = pending.slice(0, end).trim();
    pending = pending.slice(end + 1);
    if (line) onLine(line);
  }
});
process.stdin.on('end', () => {
  for (const group of members.values()) group.leave();
  process.exit(0);
});
