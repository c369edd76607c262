import type { CallMessage } from './end-to-end';

/** The longest chat line accepted from another member. */
export const MAX_CHAT_LENGTH = 4000;

/** A call message as another member sent it, checked field by field; null for anything else. */
export function parseCallMessage(value: unknown): CallMessage | null {
  if (typeof value !== 'object' || value === null) return null;
  const message = value as Record<string, unknown>;
  if (message.kind === 'chat' && typeof message.text === 'string' && message.text.length <= MAX_CHAT_LENGTH) {
    return { kind: 'chat', text: message.text };
  }
  if (message.kind === 'media-state' && typeof message.microphone === 'boolean' && typeof message.camera === 'boolean') {
    return { kind: 'media-state', microphone: message.microphone, camera: message.camera };
  }
  return null;
}
