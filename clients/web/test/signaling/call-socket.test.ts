import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallSocket } from '../../src/signaling/call-socket';
import type { Joined } from '../../src/signaling/protocol';

/**
 * The call socket's reconnect (docs/protocol.md, "resume"): after a dropped connection it resumes
 * on a new one, and asks again when the server answers `unavailable` while that connection stays
 * open. A small fake WebSocket plays signaling.
 */

type Answer = (message: Record<string, unknown>) => Record<string, unknown> | null;

class FakeWebSocket {
  static readonly OPEN = 1;
  static readonly CLOSED = 3;
  static created: FakeWebSocket[] = [];
  static answer: Answer = () => null;

  readyState = 0;
  readonly sent: Record<string, unknown>[] = [];
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((message: { data: string }) => void) | null = null;
  onclose: ((close: { code: number }) => void) | null = null;

  constructor(readonly url: string) {
    FakeWebSocket.created.push(this);
    queueMicrotask(() => {
      this.readyState = FakeWebSocket.OPEN;
      this.onopen?.();
    });
  }

  send(text: string): void {
    const message = JSON.parse(text) as Record<string, unknown>;
    this.sent.push(message);
    const reply = FakeWebSocket.answer(message);
    if (reply) {
      queueMicrotask(() => this.onmessage?.({ data: JSON.stringify({ ...reply, ref: message.id }) }));
    }
  }

  close(code = 1000): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.onclose?.({ code });
  }
}

function listener() {
  return {
    resumedWith: [] as Joined[],
    failed: 0,
    event() {},
    resumed(view: Joined) {
      this.resumedWith.push(view);
    },
    resumeFailed() {
      this.failed++;
    },
    lobbyDecision() {},
    status() {},
    closed() {},
  };
}

const JOINED = { type: 'joined', seq: 7, resumeToken: 'token-1', roster: [] };

describe('CallSocket reconnect', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.created = [];
    vi.stubGlobal('WebSocket', FakeWebSocket);
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('asks again when resume is answered unavailable, on the same connection, until resumed', async () => {
    let busyAnswers = 2;
    FakeWebSocket.answer = (message) => {
      switch (message.type) {
        case 'hello':
          return { type: 'welcome' };
        case 'join':
          return JOINED;
        case 'resume':
          if (busyAnswers > 0) {
            busyAnswers--;
            return { type: 'error', code: 'unavailable', message: 'Too many changes to the same room' };
          }
          return { type: 'resumed', seq: 9, resumeToken: 'token-2', roster: [] };
        default:
          return null;
      }
    };
    const events = listener();
    const socket = new CallSocket('ws://signaling/ws/v1', async () => 'access-token', events);
    await socket.open();
    await socket.join('abcd-efgh-ijkl');

    FakeWebSocket.created[0].close(1006);
    await vi.advanceTimersByTimeAsync(10_000);

    expect(FakeWebSocket.created).toHaveLength(2);
    const resumes = FakeWebSocket.created[1].sent.filter((message) => message.type === 'resume');
    expect(resumes).toHaveLength(3);
    expect(resumes.every((message) => message.resumeToken === 'token-1' && message.lastSeq === 7)).toBe(true);
    expect(events.resumedWith.map((view) => view.resumeToken)).toEqual(['token-2']);
    expect(events.failed).toBe(0);
  });

  it('gives the place up when resume fails, without asking again', async () => {
    FakeWebSocket.answer = (message) => {
      switch (message.type) {
        case 'hello':
          return { type: 'welcome' };
        case 'join':
          return JOINED;
        case 'resume':
          return { type: 'error', code: 'resume-failed', message: 'the grace period is over' };
        default:
          return null;
      }
    };
    const events = listener();
    const socket = new CallSocket('ws://signaling/ws/v1', async () => 'access-token', events);
    await socket.open();
    await socket.join('abcd-efgh-ijkl');

    FakeWebSocket.created[0].close(1006);
    await vi.advanceTimersByTimeAsync(10_000);

    expect(FakeWebSocket.created[1].sent.filter((message) => message.type === 'resume')).toHaveLength(1);
    expect(events.failed).toBe(1);
    expect(events.resumedWith).toHaveLength(0);
  });
});
