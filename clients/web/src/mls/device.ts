/**
 * A device's identity: its Ed25519 signature key pair (the MLS leaf signature key, RFC 9420 §5.1.2),
 * registered with the key-distribution service, which certifies it for the signed-in account.
 * Generated and used through ts-mls' crypto provider (WebCrypto Ed25519). Kept per browser in
 * IndexedDB when available, so a reload is the same device (and the service answers 200, not 201).
 */
import type { CiphersuiteImpl } from 'ts-mls';
import { getCiphersuiteFromName, getCiphersuiteImpl } from 'ts-mls';

export const CIPHER_SUITE_NAME = 'MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519';
export const CIPHER_SUITE_ID = 1;

let suite: Promise<CiphersuiteImpl> | undefined;

/** Parley's one cipher suite (0x0001). */
export function cipherSuite(): Promise<CiphersuiteImpl> {
  suite ??= getCiphersuiteImpl(getCiphersuiteFromName(CIPHER_SUITE_NAME));
  return suite;
}

export interface DeviceKeys {
  publicKey: Uint8Array;
  /** The private key as ts-mls keeps it (its signKey). */
  signKey: Uint8Array;
}

export async function generateDeviceKeys(): Promise<DeviceKeys> {
  const cs = await cipherSuite();
  const { publicKey, signKey } = await cs.signature.keygen();
  return { publicKey, signKey };
}

export async function signWith(keys: DeviceKeys, data: Uint8Array): Promise<Uint8Array> {
  return (await cipherSuite()).signature.sign(keys.signKey, data);
}

/** Where a device's keys live between page loads. */
export interface DeviceKeyStore {
  load(name: string): Promise<DeviceKeys | undefined>;
  save(name: string, keys: DeviceKeys): Promise<void>;
  remove(name: string): Promise<void>;
}

export class MemoryDeviceKeyStore implements DeviceKeyStore {
  private readonly keys = new Map<string, DeviceKeys>();
  async load(name: string) { return this.keys.get(name); }
  async save(name: string, keys: DeviceKeys) { this.keys.set(name, keys); }
  async remove(name: string) { this.keys.delete(name); }
}

/** IndexedDB database `parley-mls`, object store `device-keys`, one record per name (e.g. per account). */
export class IndexedDbDeviceKeyStore implements DeviceKeyStore {
  constructor(private readonly database = 'parley-mls', private readonly store = 'device-keys') {}

  private open(): Promise<IDBDatabase> {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(this.database, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(this.store);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  private async run<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest): Promise<T> {
    const db = await this.open();
    try {
      return await new Promise<T>((resolve, reject) => {
        const request = act(db.transaction(this.store, mode).objectStore(this.store));
        request.onsuccess = () => resolve(request.result as T);
        request.onerror = () => reject(request.error);
      });
    } finally {
      db.close();
    }
  }

  async load(name: string): Promise<DeviceKeys | undefined> {
    const value = await this.run<{ publicKey: Uint8Array; signKey: Uint8Array } | undefined>('readonly', (s) => s.get(name));
    return value ? { publicKey: new Uint8Array(value.publicKey), signKey: new Uint8Array(value.signKey) } : undefined;
  }

  async save(name: string, keys: DeviceKeys): Promise<void> {
    await this.run('readwrite', (s) => s.put({ publicKey: keys.publicKey, signKey: keys.signKey }, name));
  }

  async remove(name: string): Promise<void> {
    await this.run('readwrite', (s) => s.delete(name));
  }
}

/** The default store: IndexedDB in a browser, memory elsewhere (Node tests). */
export function defaultDeviceKeyStore(): DeviceKeyStore {
  return typeof indexedDB === 'undefined' ? new MemoryDeviceKeyStore() : new IndexedDbDeviceKeyStore();
}

/** The device keys saved under `name`, or new ones (saved). */
export async function loadOrCreateDeviceKeys(name: string, store: DeviceKeyStore = defaultDeviceKeyStore()): Promise<DeviceKeys> {
  const existing = await store.load(name).catch(() => undefined);
  if (existing) return existing;
  const keys = await generateDeviceKeys();
  await store.save(name, keys).catch(() => {});
  return keys;
}
