import type { FrameProtection } from './frame-protection';

/**
 * What members tell each other end to end, as MLS application messages: a chat line, or the
 * state of their microphone and camera (which the relay, seeing only encrypted frames, cannot tell).
 */
export type CallMessage =
  | { readonly kind: 'chat'; readonly text: string }
  | { readonly kind: 'media-state'; readonly microphone: boolean; readonly camera: boolean };

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
  /**
   * An MLS application message carrying {@code message} as JSON, for signaling's `send` (kind
   * `mls-application`): chat, and each member's microphone and camera state.
   */
  seal(message: CallMessage): Promise<Uint8Array>;
  /** What an MLS application message carries, or null when it cannot be opened (another epoch, tampered). */
  open(message: Uint8Array): Promise<CallMessage | null>;
  /** Leaves the group; the key-distribution service removes this member when the call says it left. */
  close(): void;
  /** For tests and support: frame counters, the group's state, and a way to break it (issue 8's desync test). */
  readonly diagnostics?: {
    frameCounters(): Promise<unknown>;
    forceDesync(): Promise<void>;
    group(): unknown;
  };
}
