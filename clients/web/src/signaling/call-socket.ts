import { ProtocolError, type Joined, type RoomEvent } from './protocol';

/** Close codes after which reconnecting cannot help (docs/protocol.md, "Close codes"). */
const FINAL_CLOSE_CODES = new Set([4000, 4001, 4003, 4004, 4005, 4006]);
const MAX_BACKOFF_MS = 5000;
/** The server's advice with `unavailable` (Retry-After: 1 s). */
const RESUME_RETRY_MS = 1000;

export type SocketStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface CallSocketListener {
  /** A room event, in the room's order. */
  event(event: RoomEvent): void;
  /** The connection dropped and came back: the place in the call was resumed (`resumed`). */
  resumed(view: Joined): void;
  /** The connection came back too late to resume: the caller must join again. */
  resumeFailed(): void;
  /** Waiting in the lobby ended: `admitted` (join again) or `denied`. */
  lobbyDecision(admitted: boolean): void;
  /** Status changes, for the reconnect banner. */
  status(status: SocketStatus): void;
  /** The server closed the call for good (removed, denied, room ended, replaced by a newer connection). */
  closed(code: number): void;
}

interface Pending {
  readonly type: string;
  resolve(message: Record<string, unknown>): void;
  reject(error: Error): void;
}

/**
 * One participant's WebSocket to signaling (docs/protocol.md): `hello` with a fresh token on every
 * connection, requests matched to their answers by `id`/`ref`, room events passed on in order, and
 * after a dropped connection a new one with `resume` from the last `seq` seen, so a network change
 * costs nobody their place in the call.
 */
export class CallSocket {
  private socket: WebSocket | null = null;
  private readonly pending = new Map<string, Pending>();
  private nextId = 1;
  private lastSeq: number | null = null;
  private resumeToken: string | null = null;
  private stopped = false;
  private attempt = 0;

  constructor(
    private readonly url: string,
    private readonly token: () => Promise<string>,
    private readonly listener: CallSocketListener,
  ) {}

  /** Opens the connection and completes `hello`. */
  async open(): Promise<void> {
    this.listener.status('connecting');
    await this.connect();
    this.listener.status('open');
  }

  /** `join`: resolves with `joined`, or with `null` when the caller waits in the lobby. */
  async join(roomId: string): Promise<Joined | null> {
    const answer = await this.request({ type: 'join', roomId });
    if (answer.type === 'lobby') {
      return null;
    }
    return this.entered(answer as unknown as Joined);
  }

  /** Sends a message with an `id` and resolves with the answer or confirmation that carries it as `ref`. */
  request(message: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = `m${this.nextId++}`;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { type: String(message.type), resolve, reject });
      try {
        this.send({ ...message, id });
      } catch (e) {
        this.pending.delete(id);
        reject(e as Error);
      }
    });
  }

  /** Sends a message whose confirmation is a room event (hands, host controls), without waiting. */
  send(message: Record<string, unknown>): void {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) {
      throw new ProtocolError('unavailable', 'not connected', String(message.type));
    }
    this.socket.send(JSON.stringify(message));
  }

  /** `leave`, then close: the place is given up at once. */
  async leave(): Promise<void> {
    try {
      await this.request({ type: 'leave' });
    } finally {
      this.close();
    }
  }

  close(): void {
    this.stopped = true;
    this.socket?.close(1000);
    this.listener.status('closed');
  }

  private entered(view: Joined): Joined {
    this.lastSeq = view.seq;
    this.resumeToken = view.resumeToken;
    return view;
  }

  private async connect(): Promise<void> {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      socket.onopen = () => resolve();
      socket.onerror = () => reject(new Error('cannot reach signaling'));
    });
    socket.onmessage = (message) => this.receive(JSON.parse(String(message.data)) as Record<string, unknown>);
    socket.onclose = (close) => this.dropped(socket, close.code);
    const welcome = await this.request({ type: 'hello', v: 1, token: await this.token() });
    if (welcome.type !== 'welcome') {
      throw new Error(`unexpected answer to hello: ${String(welcome.type)}`);
    }
  }

  private receive(message: Record<string, unknown>): void {
    const ref = typeof message.ref === 'string' ? message.ref : undefined;
    const waiting = ref === undefined ? undefined : this.pending.get(ref);
    if (typeof message.seq === 'number') {
      this.lastSeq = Math.max(this.lastSeq ?? 0, message.seq);
    }
    if (waiting) {
      this.pending.delete(ref!);
      if (message.type === 'error') {
        waiting.reject(new ProtocolError(String(message.code), String(message.message), waiting.type));
      } else {
        waiting.resolve(message);
      }
      if (message.type !== 'payload') {
        return; // a sent payload comes back as the room event that confirms it: delivered below too
      }
    }
    switch (message.type) {
      case 'admitted':
        this.listener.lobbyDecision(true);
        return;
      case 'denied':
        this.listener.lobbyDecision(false);
        return;
      case 'error':
        return; // errors about frames we sent without an id: nothing waits for them
      default:
        if (typeof message.seq === 'number') {
          this.listener.event(message as unknown as RoomEvent);
        }
    }
  }

  private dropped(socket: WebSocket, code: number): void {
    if (socket !== this.socket) {
      return;
    }
    for (const waiting of this.pending.values()) {
      waiting.reject(new ProtocolError('unavailable', 'the connection dropped', waiting.type));
    }
    this.pending.clear();
    if (this.stopped) {
      return;
    }
    if (FINAL_CLOSE_CODES.has(code)) {
      this.stopped = true;
      this.listener.status('closed');
      this.listener.closed(code);
      return;
    }
    this.listener.status('reconnecting');
    void this.reconnect();
  }

  /** Reconnects with growing pauses and resumes the call from the last event seen. */
  private async reconnect(): Promise<void> {
    while (!this.stopped) {
      const pause = Math.min(MAX_BACKOFF_MS, 250 * 2 ** this.attempt++) * (0.75 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, pause));
      try {
        await this.connect();
      } catch {
        continue;
      }
      this.attempt = 0;
      if (this.resumeToken === null) {
        this.listener.status('open');
        return;
      }
      await this.resume();
      return;
    }
  }

  /**
   * `resume` on the new connection. `unavailable` while that connection stays open means the room
   * was busy (another change, or a lock a dead replica held until it expires): the place is kept,
   * so ask again after a moment (docs/protocol.md, "resume").
   */
  private async resume(): Promise<void> {
    const socket = this.socket;
    for (;;) {
      try {
        const view = await this.request({ type: 'resume', resumeToken: this.resumeToken, lastSeq: this.lastSeq });
        this.listener.status('open');
        this.listener.resumed(this.entered(view as unknown as Joined));
      } catch (e) {
        if (e instanceof ProtocolError && e.code === 'resume-failed') {
          this.resumeToken = null;
          this.listener.status('open');
          this.listener.resumeFailed();
        } else if (e instanceof ProtocolError && e.code === 'unavailable' && !this.stopped
            && this.socket === socket && socket?.readyState === WebSocket.OPEN) {
          await new Promise((resolve) => setTimeout(resolve, RESUME_RETRY_MS));
          continue;
        }
        // Otherwise the connection dropped again: the close handler starts over.
      }
      return;
    }
  }
}
