/**
 * The key-distribution service's HTTP API (docs/key-distribution.md) for one signed-in person:
 * device registration, KeyPackages, and the Delivery Service of call groups. The same protocol as
 * the Java client's dev.parley.client.kd.KeyDistributionClient.
 *
 * Given several replicas it talks to one and moves to the next when a connection fails. A read is
 * then retried on the next replica; a write is not (the service may have logged it before the
 * connection broke): the caller gets a NetworkError and decides (a Commit's fate is then unknown).
 */
import { concat, fromBase64Url, toBase64Url } from './bytes';
import { SseParser } from './sse';

export interface Authority {
  caCertificate: string;
  cipherSuite: number;
  externalSender: { signatureKey: string; certificates: string[] };
}

export interface Device {
  deviceId: string;
  userId: string;
  roomId?: string;
  signatureKey: string;
  certificates: string[];
  registeredAt?: string;
}

export interface Supply {
  available: number;
  lastResort: boolean;
  low: boolean;
}

export interface JoinAnswer {
  outcome: 'create' | 'await-welcome';
  groupId: string;
  epoch: number;
  keyPackages: Supply;
}

export interface Verdict {
  outcome: string;
  groupId: string;
  epoch: number;
  index: number;
  detail?: string;
}

export interface GroupMessage {
  index: number;
  groupId: string;
  epoch: number;
  kind: 'proposal' | 'commit' | 'welcome' | 'closed';
  message?: string;
}

export interface GroupView {
  groupId: string;
  epoch: number;
  members: number;
  open: boolean;
  nextIndex: number;
}

/** An RFC 9457 problem from the service; `type` is the last segment of the problem type URI. */
export class KeyDistributionError extends Error {
  constructor(readonly status: number, readonly type: string, readonly detail: string | undefined) {
    super(`${status} ${type}${detail ? `: ${detail}` : ''}`);
    this.name = 'KeyDistributionError';
  }

  get staleEpoch(): boolean {
    return this.status === 409 && this.type === 'stale-epoch';
  }
}

/** The connection failed: for a write, whether the service acted on it is unknown. */
export class NetworkError extends Error {
  constructor(message: string, readonly cause?: unknown) {
    super(message);
    this.name = 'NetworkError';
  }
}

export type TokenSupplier = () => string | Promise<string>;

export interface Subscription {
  close(): void;
  /** Resolves when the stream has ended (closed, or broken). */
  readonly ended: Promise<void>;
}

/** What a device signs to prove it holds its key: this label, then the raw public key. */
export const PROOF_LABEL = new TextEncoder().encode('parley-device-registration-v1:');

export class KeyDistributionClient {
  private readonly replicas: string[];
  private current = 0;

  constructor(replicas: string | string[], private readonly token: TokenSupplier,
              private readonly fetchImpl: typeof fetch = (...args) => fetch(...args)) {
    this.replicas = (Array.isArray(replicas) ? replicas : [replicas]).map((r) => r.replace(/\/+$/, ''));
    if (this.replicas.length === 0) throw new Error('no replica to talk to');
  }

  /** The replica in use now (tests, diagnostics). */
  get replica(): string {
    return this.replicas[this.current];
  }

  authority(): Promise<Authority> {
    return this.call('GET', '/api/v1/authority');
  }

  /** Registers the device key with its proof of possession; the same key again returns the same device. */
  async register(publicKey: Uint8Array, sign: (data: Uint8Array) => Promise<Uint8Array>): Promise<Device> {
    const proof = await sign(concat(PROOF_LABEL, publicKey));
    return this.call('POST', '/api/v1/devices', { signatureKey: toBase64Url(publicKey), proof: toBase64Url(proof) });
  }

  device(deviceId: string): Promise<Device> {
    return this.call('GET', `/api/v1/devices/${deviceId}`);
  }

  upload(deviceId: string, keyPackages: Uint8Array[], lastResort?: Uint8Array): Promise<Supply> {
    const body: Record<string, unknown> = {};
    if (keyPackages.length > 0) body.keyPackages = keyPackages.map(toBase64Url);
    if (lastResort) body.lastResort = toBase64Url(lastResort);
    return this.call('POST', `/api/v1/devices/${deviceId}/key-packages`, body);
  }

  supply(deviceId: string): Promise<Supply> {
    return this.call('GET', `/api/v1/devices/${deviceId}/key-packages`);
  }

  claim(deviceId: string): Promise<{ keyPackage: string; lastResort: boolean }> {
    return this.call('POST', `/api/v1/devices/${deviceId}/key-packages/claim`);
  }

  join(roomId: string, participantId: string, deviceId: string): Promise<JoinAnswer> {
    return this.call('POST', `/api/v1/groups/${roomId}/joins`, { participantId, deviceId });
  }

  /** Submits a Proposal or Commit (with its Welcome); a KeyDistributionError with staleEpoch when another Commit won. */
  submit(roomId: string, deviceId: string, message: Uint8Array, welcome?: Uint8Array): Promise<Verdict> {
    const body: Record<string, unknown> = { deviceId, message: toBase64Url(message) };
    if (welcome) body.welcome = toBase64Url(welcome);
    return this.call('POST', `/api/v1/groups/${roomId}/messages`, body);
  }

  group(roomId: string): Promise<GroupView> {
    return this.call('GET', `/api/v1/groups/${roomId}`);
  }

  messages(roomId: string, groupId: string | undefined, after: number): Promise<GroupMessage[]> {
    return this.call('GET', `/api/v1/groups/${roomId}/messages${query(groupId, after)}`);
  }

  /**
   * Follows the group's messages as server-sent events, handing each to `onMessage` in order,
   * until closed or the stream ends. `onEnd` runs when it ends without having been closed (the
   * replica went away; resume from the last index, on the next replica). Rejects when the stream
   * cannot be opened.
   */
  async follow(roomId: string, groupId: string | undefined, after: number, onMessage: (m: GroupMessage) => void,
               onEnd: (error?: unknown) => void = () => {}): Promise<Subscription> {
    const used = this.current;
    const abort = new AbortController();
    let response: Response;
    try {
      response = await this.fetchImpl(this.replicas[used] + `/api/v1/groups/${roomId}/stream${query(groupId, after)}`, {
        method: 'GET',
        headers: { Authorization: `Bearer ${await this.token()}`, Accept: 'text/event-stream' },
        signal: abort.signal,
      });
    } catch (e) {
      this.failOver(used);
      throw new NetworkError(`cannot open the stream: ${String(e)}`, e);
    }
    if (response.status !== 200) throw await problem(response);
    if (!response.body) throw new NetworkError('the stream has no body');
    let closed = false;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser((data) => {
      if (!closed) onMessage(JSON.parse(data) as GroupMessage);
    });
    const ended = (async () => {
      let error: unknown;
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done || closed) break;
          parser.feed(decoder.decode(value, { stream: true }));
        }
      } catch (e) {
        error = e;
        if (!closed) this.failOver(used);
      }
      if (!closed) onEnd(error);
    })();
    return {
      ended,
      close() {
        closed = true;
        abort.abort();
        reader.cancel().catch(() => {});
      },
    };
  }

  private async call<T>(method: string, path: string, body?: unknown, attempt = 0): Promise<T> {
    const used = this.current;
    const headers: Record<string, string> = { Authorization: `Bearer ${await this.token()}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetchImpl(this.replicas[used] + path, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      this.failOver(used);
      if (method === 'GET' && attempt + 1 < this.replicas.length) return this.call(method, path, body, attempt + 1);
      throw new NetworkError(`${method} ${path}: ${String(e)}`, e);
    }
    if (response.status >= 300) throw await problem(response);
    return (await response.json()) as T;
  }

  /** Replica `used` stopped answering: use the next one from now on (once, however many noticed). */
  private failOver(used: number): void {
    if (this.current === used) this.current = (used + 1) % this.replicas.length;
  }
}

function query(groupId: string | undefined, after: number): string {
  return `?after=${after}` + (groupId === undefined ? '' : `&group=${encodeURIComponent(groupId)}`);
}

async function problem(response: Response): Promise<KeyDistributionError> {
  const text = await response.text().catch(() => '');
  try {
    const json = JSON.parse(text) as { type?: string; detail?: string };
    const type = json.type ? json.type.slice(json.type.lastIndexOf('/') + 1) : 'unknown';
    return new KeyDistributionError(response.status, type, json.detail);
  } catch {
    return new KeyDistributionError(response.status, 'unknown', text);
  }
}

export { fromBase64Url, toBase64Url };
