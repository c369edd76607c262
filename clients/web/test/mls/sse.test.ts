import { describe, expect, it } from 'vitest';
import { type GroupMessage, KeyDistributionClient, KeyDistributionError, NetworkError } from '../../src/mls/kdClient';
import { SseParser } from '../../src/mls/sse';

const message = (index: number, kind: GroupMessage['kind'] = 'proposal'): GroupMessage =>
  ({ index, groupId: 'g1', epoch: 0, kind, message: 'AAEC' });
const event = (m: GroupMessage) => `data: ${JSON.stringify(m)}\n\n`;

describe('SseParser', () => {
  it('hands out each event once its blank line arrives, whatever the chunking', () => {
    const text = ': comment\r\nevent: x\r\ndata: {"a":1}\r\n\r\ndata:{"b":2}\n\ndata: one\ndata: two\n\nid: 7\n\n';
    for (const size of [1, 2, 3, 5, 7, text.length]) {
      const seen: string[] = [];
      const parser = new SseParser((d) => seen.push(d));
      for (let i = 0; i < text.length; i += size) parser.feed(text.slice(i, i + size));
      expect(seen, `chunks of ${size}`).toEqual(['{"a":1}', '{"b":2}', 'one\ntwo']);
    }
  });

  it('does not hand out an unfinished event', () => {
    const seen: string[] = [];
    const parser = new SseParser((d) => seen.push(d));
    parser.feed('data: {"a":1}\n');
    expect(seen).toEqual([]);
    parser.feed('\n');
    expect(seen).toEqual(['{"a":1}']);
  });
});

/** A fake key-distribution server: scripted stream bodies per request, and what was asked. */
function fakeServer(script: (url: string, init: RequestInit, n: number) => Response | Promise<Response>) {
  const requests: Array<{ url: string; init: RequestInit }> = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    requests.push({ url, init });
    return script(url, init, requests.length - 1);
  }) as unknown as typeof fetch;
  return { requests, fetchImpl };
}

/** A streaming body that sends `chunks`, then ends normally or with an error (a broken connection). */
function streamOf(chunks: string[], end: 'close' | 'break' | 'hang' = 'close'): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async start(controller) {
      for (const chunk of chunks) {
        controller.enqueue(encoder.encode(chunk));
        await new Promise((r) => setTimeout(r, 1));
      }
      if (end === 'close') controller.close();
      else if (end === 'break') controller.error(new TypeError('connection reset'));
    },
  });
}

describe('KeyDistributionClient.follow', () => {
  it('parses the stream, sends the token, and resumes after a break from the last index on the next replica', async () => {
    const all = [0, 1, 2, 3, 4].map((i) => message(i));
    const server = fakeServer((url) => {
      const after = Number(new URL(url).searchParams.get('after'));
      if (url.startsWith('http://a')) {
        // Replica a sends 0..2 (the third split across chunks), then its connection breaks.
        const text = all.slice(after + 1, 3).map(event).join('');
        return new Response(streamOf([text.slice(0, 17), text.slice(17)], 'break'), { status: 200 });
      }
      return new Response(streamOf(all.filter((m) => m.index > after).map(event)), { status: 200 });
    });
    const kd = new KeyDistributionClient(['http://a', 'http://b/'], () => 'tok', server.fetchImpl);
    const got: number[] = [];
    let ended: unknown = 'not yet';
    const first = await kd.follow('room-a', undefined, -1, (m) => got.push(m.index), (e) => { ended = e; });
    await first.ended;
    expect(got).toEqual([0, 1, 2]);
    expect(ended).toBeInstanceOf(TypeError);
    expect(kd.replica).toBe('http://b');

    const second = await kd.follow('room-a', 'g1', got[got.length - 1], (m) => got.push(m.index));
    await second.ended;
    expect(got).toEqual([0, 1, 2, 3, 4]);
    expect(server.requests[0].url).toBe('http://a/api/v1/groups/room-a/stream?after=-1');
    expect(server.requests[1].url).toBe('http://b/api/v1/groups/room-a/stream?after=2&group=g1');
    expect((server.requests[0].init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
    expect((server.requests[0].init.headers as Record<string, string>).Accept).toBe('text/event-stream');
  });

  it('closing stops delivery and does not count as a break', async () => {
    const server = fakeServer(() => new Response(streamOf([event(message(0))], 'hang'), { status: 200 }));
    const kd = new KeyDistributionClient('http://a', () => 'tok', server.fetchImpl);
    const got: number[] = [];
    let broke = false;
    const sub = await kd.follow('r', undefined, -1, (m) => got.push(m.index), () => { broke = true; });
    await new Promise((r) => setTimeout(r, 20));
    sub.close();
    await sub.ended;
    expect(got).toEqual([0]);
    expect(broke).toBe(false);
  });

  it('a refused stream is a problem; an unreachable replica is a NetworkError and fails over', async () => {
    const server = fakeServer((url) => {
      if (url.startsWith('http://down')) throw new TypeError('fetch failed');
      return new Response(JSON.stringify({ type: 'https://parley.dev/problems/not-in-call', status: 403, detail: 'no' }),
        { status: 403, headers: { 'Content-Type': 'application/problem+json' } });
    });
    const kd = new KeyDistributionClient(['http://down', 'http://up'], () => 't', server.fetchImpl);
    await expect(kd.follow('r', undefined, -1, () => {})).rejects.toBeInstanceOf(NetworkError);
    const refused = await kd.follow('r', undefined, -1, () => {}).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(KeyDistributionError);
    expect((refused as KeyDistributionError).type).toBe('not-in-call');
    expect((refused as KeyDistributionError).status).toBe(403);
  });
});

describe('KeyDistributionClient calls', () => {
  it('retries a read on the next replica but never a write', async () => {
    const server = fakeServer((url, init) => {
      if (url.startsWith('http://down')) throw new TypeError('fetch failed');
      if (init.method === 'GET') return Response.json({ groupId: 'g', epoch: 3, members: 2, open: true, nextIndex: 9 });
      return Response.json({ outcome: 'accepted', groupId: 'g', epoch: 4, index: 9 }, { status: 201 });
    });
    const kd = new KeyDistributionClient(['http://down', 'http://up'], () => 't', server.fetchImpl);
    expect((await kd.group('r')).epoch).toBe(3);
    const kd2 = new KeyDistributionClient(['http://down', 'http://up'], () => 't', server.fetchImpl);
    await expect(kd2.submit('r', 'd-x', Uint8Array.of(1, 2, 3))).rejects.toBeInstanceOf(NetworkError);
    expect(kd2.replica).toBe('http://up');
    const verdict = await kd2.submit('r', 'd-x', Uint8Array.of(0xfb, 0xff), Uint8Array.of(1));
    expect(verdict.epoch).toBe(4);
    const body = JSON.parse(server.requests[server.requests.length - 1].init.body as string);
    expect(body).toEqual({ deviceId: 'd-x', message: '-_8', welcome: 'AQ' }); // base64url, no padding
  });

  it('stale-epoch is recognised', async () => {
    const server = fakeServer(() => new Response(JSON.stringify({ type: 'https://parley.dev/problems/stale-epoch', status: 409 }), { status: 409 }));
    const kd = new KeyDistributionClient('http://a', () => 't', server.fetchImpl);
    const error = await kd.submit('r', 'd', Uint8Array.of(1)).catch((e: unknown) => e);
    expect((error as KeyDistributionError).staleEpoch).toBe(true);
  });

  it('registers with the proof over the label and the key', async () => {
    const server = fakeServer(() => Response.json({ deviceId: 'd-1', userId: 'u', signatureKey: '', certificates: [] }, { status: 201 }));
    const kd = new KeyDistributionClient('http://a', async () => 't', server.fetchImpl);
    let signed: Uint8Array | undefined;
    await kd.register(Uint8Array.of(7, 8), async (data) => { signed = data; return Uint8Array.of(9); });
    expect(new TextDecoder().decode(signed!.subarray(0, signed!.length - 2))).toBe('parley-device-registration-v1:');
    expect([...signed!.subarray(signed!.length - 2)]).toEqual([7, 8]);
    expect(JSON.parse(server.requests[0].init.body as string)).toEqual({ signatureKey: 'Bwg', proof: 'CQ' });
  });
});
