import { describe, expect, it } from 'vitest';
import { cipherSuite } from '../../src/sframe/cipher-suite';
import { SFrameError } from '../../src/sframe/errors';
import { decodeHeader } from '../../src/sframe/header';
import { deriveKeySalt, deriveSFrameKey, keyLabel, saltLabel } from '../../src/sframe/key-derivation';
import { decrypt, encrypt, frameNonce, open } from '../../src/sframe/sframe';
import { fromHex, loadVectors, toHex } from './vectors';

const vectors = loadVectors();

describe('AES-CTR + HMAC AEAD (RFC 9605 §4.5.1, Appendix C.2)', () => {
  it.each(vectors.aes_ctr_hmac)('suite $cipher_suite seals and opens', async (vector) => {
    const aead = await cipherSuite(vector.cipher_suite).importKey(fromHex(vector.key));
    const nonce = fromHex(vector.nonce);
    const aad = fromHex(vector.aad);

    expect(toHex(await aead.seal(nonce, aad, fromHex(vector.pt)))).toBe(vector.ct);
    expect(toHex(await aead.open(nonce, aad, fromHex(vector.ct)))).toBe(vector.pt);
  });

  it.each(vectors.aes_ctr_hmac)('suite $cipher_suite refuses a flipped tag bit', async (vector) => {
    const aead = await cipherSuite(vector.cipher_suite).importKey(fromHex(vector.key));
    const ct = fromHex(vector.ct);
    ct[ct.length - 1]! ^= 0x01;

    await expect(aead.open(fromHex(vector.nonce), fromHex(vector.aad), ct)).rejects.toMatchObject({
      code: 'authentication-failed',
    });
  });
});

describe('SFrame encryption (RFC 9605 §4.4, Appendix C.3)', () => {
  it.each(vectors.sframe)('suite $cipher_suite derives the labels, key, salt and nonce', async (vector) => {
    const suite = cipherSuite(vector.cipher_suite);
    expect(toHex(keyLabel(suite, vector.kid))).toBe(vector.sframe_key_label);
    expect(toHex(saltLabel(suite, vector.kid))).toBe(vector.sframe_salt_label);

    const { key, salt } = await deriveKeySalt(suite, vector.kid, fromHex(vector.base_key));
    expect(toHex(key)).toBe(vector.sframe_key);
    expect(toHex(salt)).toBe(vector.sframe_salt);

    const sframeKey = await deriveSFrameKey(suite, vector.kid, fromHex(vector.base_key));
    expect(toHex(frameNonce(sframeKey, vector.ctr))).toBe(vector.nonce);
  });

  it.each(vectors.sframe)('suite $cipher_suite: encrypt(ctr, kid, metadata, pt) == ct', async (vector) => {
    const key = await deriveSFrameKey(cipherSuite(vector.cipher_suite), vector.kid, fromHex(vector.base_key));

    const ct = await encrypt(key, vector.ctr, fromHex(vector.metadata), fromHex(vector.pt));

    expect(toHex(ct)).toBe(vector.ct);
    expect(toHex(decodeHeader(ct).bytes) + vector.metadata).toBe(vector.aad);
  });

  it.each(vectors.sframe)('suite $cipher_suite: decrypt(metadata, ct) == pt', async (vector) => {
    const key = await deriveSFrameKey(cipherSuite(vector.cipher_suite), vector.kid, fromHex(vector.base_key));
    const keyFor = async (kid: bigint) => {
      expect(kid).toBe(vector.kid);
      return key;
    };

    expect(toHex(await decrypt(keyFor, fromHex(vector.metadata), fromHex(vector.ct)))).toBe(vector.pt);
  });

  it.each(vectors.sframe)('suite $cipher_suite: other metadata or a changed header byte is refused', async (vector) => {
    const key = await deriveSFrameKey(cipherSuite(vector.cipher_suite), vector.kid, fromHex(vector.base_key));
    const ct = fromHex(vector.ct);
    const header = decodeHeader(ct);
    const body = ct.subarray(header.bytes.length);

    await expect(open(key, header, body, fromHex(vector.metadata.replace(/^../, '00')))).rejects.toMatchObject({
      code: 'authentication-failed',
    });
    const otherCtr = decodeHeader(fromHex(toHex(header.bytes).replace(/67$/, '68')));
    await expect(open(key, otherCtr, body, fromHex(vector.metadata))).rejects.toMatchObject({
      code: 'authentication-failed',
    });
  });

  it('refuses a ciphertext shorter than the tag and a key of another KID', async () => {
    const vector = vectors.sframe.find((candidate) => candidate.cipher_suite === 4)!;
    const key = await deriveSFrameKey(cipherSuite(4), vector.kid, fromHex(vector.base_key));
    const ct = fromHex(vector.ct);
    const header = decodeHeader(ct);

    await expect(open(key, header, ct.subarray(header.bytes.length, header.bytes.length + 15), new Uint8Array(0))).rejects.toMatchObject({
      code: 'malformed-frame',
    });
    await expect(open(key, { ...header, kid: 0x124n }, ct.subarray(header.bytes.length), fromHex(vector.metadata))).rejects.toMatchObject({
      code: 'unknown-sender',
    });
  });

  it('knows suites 1 to 5 only', () => {
    expect([1, 2, 3, 4, 5].map((id) => cipherSuite(id).id)).toEqual([1, 2, 3, 4, 5]);
    expect(() => cipherSuite(6)).toThrow(SFrameError);
  });
});
