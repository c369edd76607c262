import { describe, expect, it } from 'vitest';

describe('toolchain', () => {
  it('runs TypeScript tests with WebCrypto', async () => {
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 128 }, false, ['encrypt']);
    expect(key.algorithm.name).toBe('AES-GCM');
  });
});
