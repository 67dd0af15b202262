/**
 * A small promise wrapper around IndexedDB for the outbox: one object store of changes, keyed by
 * their id. IndexedDB survives closing the browser and holds Blobs (the photos) as they are.
 */

const DB_NAME = 'serat-field';
const DB_VERSION = 1;
const STORE = 'outbox';

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

let opening: Promise<IDBDatabase> | null = null;

function openDatabase(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(STORE)) {
        const store = db.createObjectStore(STORE, { keyPath: 'id' });
        store.createIndex('userId', 'userId', { unique: false });
      }
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab with a newer version of the app wants to upgrade: let it.
      db.onversionchange = () => {
        db.close();
        opening = null;
      };
      resolve(db);
    };
    request.onerror = () => {
      opening = null;
      reject(request.error ?? new Error('IndexedDB cannot be opened'));
    };
    request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
  return opening;
}

async function withStore<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDatabase();
  const transaction = db.transaction(STORE, mode);
  const result = promised(work(transaction.objectStore(STORE)));
  // Resolve only once the transaction is committed: a write is then on disk.
  await new Promise<void>((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
    transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
  });
  return result;
}

/** The outbox's records of one user. T is the record type; it must have `id` and `userId`. */
export class OutboxStore<T extends { id: string; userId: string }> {
  all(userId: string): Promise<T[]> {
    return withStore('readonly', (store) => store.index('userId').getAll(IDBKeyRange.only(userId)) as IDBRequest<T[]>);
  }

  get(id: string): Promise<T | undefined> {
    return withStore('readonly', (store) => store.get(id) as IDBRequest<T | undefined>);
  }

  async put(record: T): Promise<void> {
    await withStore('readwrite', (store) => store.put(record));
  }

  async delete(id: string): Promise<void> {
    await withStore('readwrite', (store) => store.delete(id));
  }
}
