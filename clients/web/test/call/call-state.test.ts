import { describe, expect, it } from 'vitest';
import { CallState } from '../../src/call/call-state';

describe('CallState.reconnecting', () => {
  it('shows the banner while the media moves to another relay, and until the new connection connects', () => {
    const state = new CallState();
    state.socket.value = 'open';
    state.transport.value = 'connected';
    expect(state.reconnecting.value).toBe(false);

    state.mediaRestarting.value = true; // media-restart
    state.transport.value = 'new';
    expect(state.reconnecting.value).toBe(true);
    state.transport.value = 'connecting';
    expect(state.reconnecting.value).toBe(true);

    state.mediaRestarting.value = false; // the call controller clears it on 'connected'
    state.transport.value = 'connected';
    expect(state.reconnecting.value).toBe(false);
  });
});
