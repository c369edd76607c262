import { describe, expect, it } from 'vitest';
import { MAX_CHAT_LENGTH, parseCallMessage } from '../../src/call/call-message';

describe('call messages from other members', () => {
  it('reads chat lines and microphone/camera states', () => {
    expect(parseCallMessage({ kind: 'chat', text: 'hello' })).toEqual({ kind: 'chat', text: 'hello' });
    expect(parseCallMessage({ kind: 'media-state', microphone: false, camera: true, extra: 1 }))
      .toEqual({ kind: 'media-state', microphone: false, camera: true });
  });

  it('refuses anything out of shape', () => {
    for (const bad of [null, 'text', 42, {}, { kind: 'chat' }, { kind: 'chat', text: 7 },
      { kind: 'chat', text: 'x'.repeat(MAX_CHAT_LENGTH + 1) }, { kind: 'media-state', microphone: 'no', camera: true },
      { kind: 'media-state', microphone: true }, { kind: 'exec', code: 'alert(1)' }]) {
      expect(parseCallMessage(bad)).toBeNull();
    }
  });
});
