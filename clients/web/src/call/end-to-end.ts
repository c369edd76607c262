import type { FrameProtection } from './frame-protection';

/** The call group's state as the UI shows it. */
export interface GroupState {
  /** The MLS epoch: it changes with every join and leave. */
  readonly epoch: number;
  /**
   * What every participant compares: eight emoji derived from the epoch authenticator (RFC 9420
   * §8.7), the same on every member's screen, different after every join and leave.
   */
  readonly securityCode: string;
  /** The same code as words, for reading out loud. */
  readonly securityWords: string;
  /** The same code as six groups of five digits, as the Java client shows it. */
  readonly securityDigits: string;
  /** How many members the group has. */
  readonly members: number;
}

/**
 * The call's end-to-end encryption, as the call sees it: one MLS group per call through key
 * distribution, its exporter keying SFrame on every frame, and chat as MLS application messages.
 * Signaling and the relay carry only what this produces.
 */
export interface EndToEnd {
  readonly protection: FrameProtection;
  /** Joins (or creates) the call's group; resolves once this member has the group's keys. */
  join(roomId: string, participantId: string): Promise<void>;
  /** Called with the group's state on every epoch. */
  onChange(listener: (state: GroupState) => void): void;
  /** An MLS application message carrying {@code text}, for signaling's `send` (kind `mls-application`). */
  sealChat(text: string): Promise<Uint8Array>;
  /** The text of an MLS application message, or null when it cannot be opened (another epoch, tampered). */
  openChat(message: Uint8Array): Promise<string | null>;
  /** Leaves the group; the key-distribution service removes this member when the call says it left. */
  close(): void;
  /** For tests and support: frame counters, the group's state, and a way to break it (issue 8's desync test). */
  readonly diagnostics?: {
    frameCounters(): Promise<unknown>;
    forceDesync(): Promise<void>;
    group(): unknown;
  };
}
