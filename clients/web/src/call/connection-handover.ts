import type { RemoteTrack } from './media-session';

/** How long the old connection's tracks may stand in for the new one's: then the new ones show anyway. */
export const HANDOVER_TIMEOUT_MS = 4000;
/** How often the connections' stats are read while a handover lasts. */
const POLL_MS = 100;
/** An old connection that received no packet for this long has nothing to stand in with: its relay died. */
export const SILENT_MS = 500;

/** What the handover reads of an `inbound-rtp` entry of `getStats()` (W3C webrtc-stats). */
interface InboundStats {
  type: string;
  /** When the report was made; `lastPacketReceivedTimestamp` is on the same clock. */
  timestamp: number;
  mid?: string;
  framesDecoded?: number;
  packetsReceived?: number;
  lastPacketReceivedTimestamp?: number;
}

/** A received track's key across connections: the same participant's same source. */
function key(track: { participantId: string; source: string }): string {
  return `${track.participantId}/${track.source}`;
}

/**
 * Make-before-break after `media-restart` (docs/protocol.md): the connection to the call's old
 * relay keeps playing while the new one starts. For each participant and source, the tiles show the
 * old connection's track until the new connection's track of the same participant and source
 * delivers media (video: a frame decoded, so decrypted too, `framesDecoded` above 0; audio: packets
 * received), read from the new connection's `getStats()` every {@link POLL_MS} ms. Once every old
 * track has its successor, or after {@link HANDOVER_TIMEOUT_MS}, or when the old connection
 * fails or has received nothing for {@link SILENT_MS} (its relay died: it would only keep a second
 * set of encoders busy), the old connection is closed; its relay then closes the session at once
 * (DTLS `close_notify`). A drain move so costs no gap in the picture, a relay's death the same as
 * before.
 */
export class ConnectionHandover {
  /** Keys whose new track delivers media: shown from the new connection. */
  private readonly ready = new Set<string>();
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly deadline: ReturnType<typeof setTimeout>;
  private current: readonly RemoteTrack[] = [];
  private polling = false;
  private done = false;

  constructor(
    private readonly old: RTCPeerConnection,
    /** What the old connection received when the restart came. */
    private readonly oldTracks: readonly RemoteTrack[],
    private readonly next: RTCPeerConnection,
    /** Whether the participant still publishes that source: the tracks of one who left stand in for nothing. */
    private readonly stillPublished: (participantId: string, source: string) => boolean,
    /** The tracks to show changed, or the handover ended. */
    private readonly changed: () => void,
  ) {
    this.timer = setInterval(() => void this.poll(), POLL_MS);
    this.deadline = setTimeout(() => this.finish(), HANDOVER_TIMEOUT_MS);
    old.addEventListener('connectionstatechange', this.oldState);
  }

  private readonly oldState = (): void => {
    if (this.old.connectionState === 'failed' || this.old.connectionState === 'closed') {
      this.finish();
    }
  };

  /** Whether the old connection still stands in for some of the new one's tracks. */
  get active(): boolean {
    return !this.done;
  }

  /**
   * The tracks to show, given the new connection's `current` ones: per participant and source the
   * new track once it delivers media, the old one until then (while `stillPublished` says the
   * participant publishes it); new tracks without an old counterpart show at once.
   */
  shown(current: readonly RemoteTrack[]): RemoteTrack[] {
    this.current = current;
    if (this.done) {
      return [...current];
    }
    const standIns = new Map(this.standIns().map((t) => [key(t), t]));
    const shown: RemoteTrack[] = [];
    for (const track of current) {
      if (standIns.has(key(track)) && !this.ready.has(key(track))) {
        continue; // the old one shows meanwhile
      }
      standIns.delete(key(track));
      shown.push(track);
    }
    for (const [k, track] of standIns) {
      if (!this.ready.has(k)) {
        shown.push(track);
      }
    }
    return shown;
  }

  /** The old tracks whose participant still publishes them. */
  private standIns(): RemoteTrack[] {
    return this.oldTracks.filter((t) => this.stillPublished(t.participantId, t.source));
  }

  private async poll(): Promise<void> {
    if (this.polling || this.done) {
      return;
    }
    this.polling = true;
    try {
      if (this.standIns().every((old) => this.ready.has(key(old))) || await this.oldIsSilent()) {
        this.finish();
        return;
      }
      const waiting = this.current.filter((t) => !this.ready.has(key(t))
        && this.oldTracks.some((old) => key(old) === key(t)));
      if (waiting.length === 0) {
        return;
      }
      const byMid = new Map<string, InboundStats>();
      (await this.next.getStats()).forEach((entry: InboundStats) => {
        if (entry.type === 'inbound-rtp' && typeof entry.mid === 'string') {
          byMid.set(entry.mid, entry);
        }
      });
      if (this.done) {
        return;
      }
      let more = false;
      for (const track of waiting) {
        const stats = byMid.get(track.mid);
        const delivers = track.kind === 'video' ? (stats?.framesDecoded ?? 0) > 0 : (stats?.packetsReceived ?? 0) > 0;
        if (delivers) {
          this.ready.add(key(track));
          more = true;
        }
      }
      if (this.standIns().every((old) => this.ready.has(key(old)))) {
        this.finish();
      } else if (more) {
        this.changed();
      }
    } catch (error) {
      console.warn('could not read the new connection\'s stats', error);
    } finally {
      this.polling = false;
    }
  }

  /**
   * Whether the old connection has received no packet for {@link SILENT_MS} (or none at all). A
   * relay's death is noticed by signaling a second or more after its last packet, so this is true
   * at the first poll after such a restart, and never while a draining relay forwards.
   */
  private async oldIsSilent(): Promise<boolean> {
    let now = 0;
    let newest = -Infinity;
    (await this.old.getStats()).forEach((entry: InboundStats) => {
      if (entry.type === 'inbound-rtp') {
        now = Math.max(now, entry.timestamp);
        newest = Math.max(newest, entry.lastPacketReceivedTimestamp ?? -Infinity);
      }
    });
    return now - newest >= SILENT_MS;
  }

  /** Ends the handover: the new connection's tracks show, and the old connection closes. */
  finish(): void {
    if (this.done) {
      return;
    }
    this.stop();
    this.changed();
  }

  /** Ends the handover without a word: the session closes. */
  stop(): void {
    this.done = true;
    clearInterval(this.timer);
    clearTimeout(this.deadline);
    this.old.removeEventListener('connectionstatechange', this.oldState);
    this.old.close();
  }
}
