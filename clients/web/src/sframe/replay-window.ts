/**
 * Which CTRs of one KID a receiver has accepted, so a frame the network or the SFU repeats is
 * dropped (RFC 9605 §7.4 leaves replay to the application). CTRs more than {@link REPLAY_WINDOW}
 * below the highest accepted one are refused as too old to tell.
 *
 * The window is wide because one KID serves all of a sender's streams (audio, video, simulcast
 * layers, screen: about 200 frames a second) and the receiver's streams run with different delays;
 * 4,096 CTRs cover some 20 seconds of that skew for 512 bytes per KID.
 */
export const REPLAY_WINDOW = 4096;

export class ReplayWindow {
  #highest = -1n;
  readonly #seen = new Uint32Array(REPLAY_WINDOW / 32);

  /** Whether `ctr` could still be accepted: checked before decrypting, to skip the AEAD for repeats. */
  isFresh(ctr: bigint): boolean {
    if (ctr > this.#highest) {
      return true;
    }
    return this.#highest - ctr < BigInt(REPLAY_WINDOW) && !this.#has(ctr);
  }

  /**
   * Records `ctr` once its frame authenticated; false if it was taken meanwhile (two copies of a
   * frame decrypted at once), in which case the caller drops this copy.
   */
  accept(ctr: bigint): boolean {
    if (!this.isFresh(ctr)) {
      return false;
    }
    if (ctr > this.#highest) {
      this.#advance(ctr);
    }
    const slot = Number(ctr % BigInt(REPLAY_WINDOW));
    this.#seen[slot >> 5]! |= 1 << (slot & 31);
    return true;
  }

  #has(ctr: bigint): boolean {
    const slot = Number(ctr % BigInt(REPLAY_WINDOW));
    return (this.#seen[slot >> 5]! & (1 << (slot & 31))) !== 0;
  }

  /** Moves the top of the window to `ctr`, forgetting the slots that now stand for new CTRs. */
  #advance(ctr: bigint): void {
    const step = ctr - this.#highest;
    if (step >= BigInt(REPLAY_WINDOW)) {
      this.#seen.fill(0);
    } else {
      for (let next = this.#highest + 1n; next < ctr; next++) {
        const slot = Number(next % BigInt(REPLAY_WINDOW));
        this.#seen[slot >> 5]! &= ~(1 << (slot & 31));
      }
    }
    this.#highest = ctr;
  }
}
