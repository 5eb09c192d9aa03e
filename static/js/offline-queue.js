// Scans made without network, kept in IndexedDB until the server has answered them.
//
// Object stores (database "eventops-door-<event>"):
//   queue – {id (auto, = order of scanning), token | registration_id, door, scanned_at, nonce,
//            local_status}; removed only after the server answered it.
//   seen  – registration_id -> {at, door, name?}: who this device let in (also online), so a
//           badge scanned twice while offline says "already in" the second time.
//   meta  – small values, e.g. the downloaded keys and revocation list.
//
// Every queued scan has its original scanned_at and a random nonce; the server answers a
// repeated nonce from the same device with its first answer, so sending a scan twice (a
// lost response, two tabs) is safe. flush() sends strictly in order and stops at the first
// scan that could not be delivered, so nothing is skipped.

const VERSION = 1;

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function finished(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("transaction aborted"));
  });
}

export class OfflineStore {
  static async open(name) {
    const req = indexedDB.open(name, VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains("queue")) {
        db.createObjectStore("queue", { keyPath: "id", autoIncrement: true });
      }
      if (!db.objectStoreNames.contains("seen")) db.createObjectStore("seen");
      if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta");
    };
    return new OfflineStore(name, await request(req));
  }

  constructor(name, db) {
    this.name = name;
    this.db = db;
  }

  async run(stores, mode, work) {
    const tx = this.db.transaction(stores, mode);
    const result = work(tx);
    await finished(tx);
    return result instanceof IDBRequest ? result.result : result;
  }

  /** Queue a scan; optionally mark its visitor as let in, in the same transaction. */
  addScan(item, seen) {
    return this.run(["queue", "seen"], "readwrite", (tx) => {
      const added = tx.objectStore("queue").add(item);
      if (seen) tx.objectStore("seen").put(seen.record, seen.registrationId);
      return added;
    });
  }

  list() {
    return this.run("queue", "readonly", (tx) => tx.objectStore("queue").getAll());
  }

  get(id) {
    return this.run("queue", "readonly", (tx) => tx.objectStore("queue").get(id));
  }

  remove(id) {
    return this.run("queue", "readwrite", (tx) => tx.objectStore("queue").delete(id));
  }

  count() {
    return this.run("queue", "readonly", (tx) => tx.objectStore("queue").count());
  }

  getSeen(registrationId) {
    return this.run("seen", "readonly", (tx) => tx.objectStore("seen").get(registrationId));
  }

  putSeen(registrationId, record) {
    return this.run("seen", "readwrite", (tx) => tx.objectStore("seen").put(record, registrationId));
  }

  deleteSeen(registrationId) {
    return this.run("seen", "readwrite", (tx) => tx.objectStore("seen").delete(registrationId));
  }

  getMeta(key) {
    return this.run("meta", "readonly", (tx) => tx.objectStore("meta").get(key));
  }

  putMeta(key, value) {
    return this.run("meta", "readwrite", (tx) => tx.objectStore("meta").put(value, key));
  }
}

/**
 * Send queued scans in order. send(item) resolves to "done" (answered: remove it), "drop"
 * (the server refused it for good: remove it) or "retry" (not delivered: stop, keep it and
 * everything after it). Only one flush runs at a time per store, across tabs too.
 */
export async function flush(store, send, onItem = () => {}) {
  const work = async () => {
    const items = await store.list();
    let sent = 0;
    for (const item of items) {
      const outcome = await send(item);
      if (outcome === "retry") return { sent, complete: false };
      await store.remove(item.id);
      sent += 1;
      onItem(item, outcome);
    }
    return { sent, complete: true };
  };
  if (navigator.locks && navigator.locks.request) {
    return navigator.locks.request(`flush:${store.name}`, work);
  }
  return work();
}
