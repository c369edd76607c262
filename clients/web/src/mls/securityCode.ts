/**
 * The security code members compare out of band to know they share one group state (RFC 9420
 * §8.7's epoch authenticator). Three renderings of the same bytes:
 *
 * - `digits`: 30 decimal digits in six groups of five, group i being the unsigned big-endian 40-bit
 *   number in bytes 5i..5i+4 modulo 100,000 — exactly the Java client's SecurityCode.
 * - `emoji` / `words`: the first 48 bits (bytes 0..5) as eight 6-bit indices, most significant bit
 *   first, into a list of 64 emoji with their English names (the list of Matrix's SAS verification).
 *   Easier to compare at a glance or read aloud; 48 bits against an attacker who must match them
 *   in real time, as Matrix's 42 bits are.
 */

const GROUPS = 6;
const BYTES_PER_GROUP = 5;

export const EMOJI: ReadonlyArray<readonly [string, string]> = [
  ['🐶', 'dog'], ['🐱', 'cat'], ['🦁', 'lion'], ['🐎', 'horse'], ['🦄', 'unicorn'], ['🐷', 'pig'],
  ['🐘', 'elephant'], ['🐰', 'rabbit'], ['🐼', 'panda'], ['🐓', 'rooster'], ['🐧', 'penguin'], ['🐢', 'turtle'],
  ['🐟', 'fish'], ['🐙', 'octopus'], ['🦋', 'butterfly'], ['🌷', 'flower'], ['🌳', 'tree'], ['🌵', 'cactus'],
  ['🍄', 'mushroom'], ['🌏', 'globe'], ['🌙', 'moon'], ['☁️', 'cloud'], ['🔥', 'fire'], ['🍌', 'banana'],
  ['🍎', 'apple'], ['🍓', 'strawberry'], ['🌽', 'corn'], ['🍕', 'pizza'], ['🎂', 'cake'], ['❤️', 'heart'],
  ['😀', 'smiley'], ['🤖', 'robot'], ['🎩', 'hat'], ['👓', 'glasses'], ['🔧', 'spanner'], ['🎅', 'santa'],
  ['👍', 'thumbs up'], ['☂️', 'umbrella'], ['⌛', 'hourglass'], ['⏰', 'clock'], ['🎁', 'gift'], ['💡', 'light bulb'],
  ['📕', 'book'], ['✏️', 'pencil'], ['📎', 'paperclip'], ['✂️', 'scissors'], ['🔒', 'lock'], ['🔑', 'key'],
  ['🔨', 'hammer'], ['☎️', 'telephone'], ['🏁', 'flag'], ['🚂', 'train'], ['🚲', 'bicycle'], ['✈️', 'aeroplane'],
  ['🚀', 'rocket'], ['🏆', 'trophy'], ['⚽', 'ball'], ['🎸', 'guitar'], ['🎺', 'trumpet'], ['🔔', 'bell'],
  ['⚓', 'anchor'], ['🎧', 'headphones'], ['📁', 'folder'], ['📌', 'pin'],
];

export const EMOJI_COUNT = 8;

export interface SecurityCode {
  /** "01234 56789 …": six groups of five digits, as the Java client shows it. */
  digits: string;
  /** Eight emoji. */
  emoji: string[];
  /** The eight emoji's names, in order. */
  words: string[];
}

export function securityDigits(epochAuthenticator: Uint8Array): string {
  if (epochAuthenticator.length < GROUPS * BYTES_PER_GROUP) {
    throw new RangeError('an epoch authenticator has at least 30 bytes');
  }
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let value = 0n;
    for (let i = 0; i < BYTES_PER_GROUP; i++) value = (value << 8n) | BigInt(epochAuthenticator[g * BYTES_PER_GROUP + i]);
    groups.push((value % 100_000n).toString().padStart(5, '0'));
  }
  return groups.join(' ');
}

/** The eight 6-bit indices of bytes 0..5, most significant first. */
export function emojiIndices(epochAuthenticator: Uint8Array): number[] {
  if (epochAuthenticator.length < 6) throw new RangeError('need at least 6 bytes');
  let bits = 0n;
  for (let i = 0; i < 6; i++) bits = (bits << 8n) | BigInt(epochAuthenticator[i]);
  const out: number[] = [];
  for (let k = EMOJI_COUNT - 1; k >= 0; k--) out.push(Number((bits >> BigInt(6 * k)) & 63n));
  return out;
}

export function securityCode(epochAuthenticator: Uint8Array): SecurityCode {
  const indices = emojiIndices(epochAuthenticator);
  return {
    digits: securityDigits(epochAuthenticator),
    emoji: indices.map((i) => EMOJI[i][0]),
    words: indices.map((i) => EMOJI[i][1]),
  };
}
