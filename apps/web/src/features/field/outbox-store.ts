/**
 * The outbox on the device: one IndexedDB object store of changes, keyed by their id, with an
 * index by user. IndexedDB survives closing the browser and holds Blobs (the photos) as they are.
 * `idb` gives it promises; each call is its own transaction and resolves once that transaction
 * has committed, so a write the outbox reports as stored is on disk.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

const DB_NAME = 'serat-field';
const DB_VERSION = 1;

interface FieldSchema<T extends { id: string; userId: string }> extends DBSchema {
  outbox: { key: string; value: T; indexes: { userId: string } };
}

/** The outbox's records of one user. T is the record type; it must have `id` and `userId`. */
export class OutboxStore<T extends { id: string; userId: string }> {
  private opening: Promise<IDBPDatabase<FieldSchema<T>>> | null = null;

  constructor(private readonly name = DB_NAME) {}

  private database(): Promise<IDBPDatabase<FieldSchema<T>>> {
    this.opening ??= openDB<FieldSchema<T>>(this.name, DB_VERSION, {
      upgrade(db) {
        if (!db.objectStoreNames.contains('outbox')) db.createObjectStore('outbox', { keyPath: 'id' }).createIndex('userId', 'userId', { unique: false });
      },
      // Another tab with a newer version of the app wants to upgrade: let it, and open again next time.
      blocking: (_current, _next, event) => {
        (event.target as IDBDatabase).close();
        this.opening = null;
      },
      terminated: () => {
        this.opening = null;
      },
    }).catch((error: unknown) => {
      this.opening = null;
      throw error;
    });
    return this.opening;
  }

  async all(userId: string): Promise<T[]> {
    return (await this.database()).getAllFromIndex('outbox', 'userId', userId);
  }

  async get(id: string): Promise<T | undefined> {
    return (await this.database()).get('outbox', id);
  }

  async put(record: T): Promise<void> {
    const tx = (await this.database()).transaction('outbox', 'readwrite');
    await Promise.all([tx.store.put(record), tx.done]);
  }

  async delete(id: string): Promise<void> {
    const tx = (await this.database()).transaction('outbox', 'readwrite');
    await Promise.all([tx.store.delete(id), tx.done]);
  }
}
