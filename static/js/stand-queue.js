// The employer tablet (stand.js): the offline queue and the badge keys.
//
// The queue (offline-queue.js, database "eventops-stand-<event>") holds at most one item
// per visitor: a newer save for the same visitor replaces the older one. It is sent in
// order; a visitor who has not checked in at the door yet is held and tried again later
// (the door may be offline too), for at most HOLD_MAX_MS.

import { flush } from "./offline-queue.js";
import { learnCard, renderVisitor } from "./stand-card.js";
import {
  $,
  api,
  bodyOf,
  clock,
  lang,
  online,
  renderNet,
  show,
  showRefusal,
  state,
  tr,
  valuesOf,
  verifier,
} from "./stand-context.js";
import { loadEntriesSoon, rememberEntry, renderEntries } from "./stand-list.js";
import { savedOnServer } from "./stand-outcome.js";

/** Put `item` at the end of the queue, replacing any item for the same visitor. */
export function replaceQueued(registrationId, item) {
  return state.store.run("queue", "readwrite", (tx) => {
    const queue = tx.objectStore("queue");
    const all = queue.getAll();
    all.onsuccess = () => {
      for (const old of all.result) {
        if (old.registration_id === registrationId) queue.delete(old.id);
      }
      if (item) {
        const copy = { ...item };
        delete copy.id;
        queue.add(copy);
      }
    };
    return null;
  });
}

/** Put a held item back at the end, unless a newer save for this visitor is queued. */
export function requeue(item) {
  return state.store.run("queue", "readwrite", (tx) => {
    const queue = tx.objectStore("queue");
    const all = queue.getAll();
    all.onsuccess = () => {
      const newer = all.result.some((old) => old.registration_id === item.registration_id
        && old.id !== item.id);
      if (!newer) {
        const copy = { ...item };
        delete copy.id;
        queue.add(copy);
      }
    };
    return null;
  });
}

export async function queuedFor(registrationId) {
  const items = await state.store.list();
  return items.filter((item) => item.registration_id === registrationId).pop() || null;
}

export async function refreshPending() {
  state.queued = await state.store.list();
  renderNet();
  renderEntries();
}

// ---- sending the queue --------------------------------------------------------------

export const HOLD_RETRY_MS = 30_000; // a visitor not checked in yet: try again after this
export const HOLD_MAX_MS = 4 * 3600_000; // … for at most this long

export async function sendQueued(item, force) {
  if (!(await state.store.get(item.id))) return "done"; // replaced by a newer save meanwhile
  if (item.held && !force && Date.now() < (item.next_try || 0)) {
    await requeue(item); // not yet: keep it at the end and go on with the rest
    return "drop";
  }
  let r;
  try {
    r = await api("POST", `/interests?lang=${encodeURIComponent(lang)}`,
      bodyOf(item.token, item));
  } catch {
    return "retry";
  }
  if (r.status === 201) {
    learnCard(r.data.visitor);
    rememberEntry(item.registration_id, r.data, valuesOf(item));
    const c = state.current;
    if (c && c.registrationId === item.registration_id && c.local) {
      savedOnServer(c, r.data, "sync");
    }
    return "done";
  }
  if (r.auth || r.status === 429 || r.status >= 500) return "retry";
  const code = (r.data && r.data.error) || String(r.status);
  const c = state.current;
  const onCard = c && c.registrationId === item.registration_id && c.local;
  if (code === "not_checked_in" && Date.now() - Date.parse(item.saved_at) < HOLD_MAX_MS) {
    // The door may still be offline with this visitor's check-in: try again later.
    await requeue({ ...item, held: true, attempts: (item.attempts || 0) + 1,
                    next_try: Date.now() + HOLD_RETRY_MS });
    if (onCard) {
      show("warn", code, tr("tablet.r.not_checked_in"),
        `${tr("tablet.r.not_checked_in_help")} ${tr("tablet.r.held_hint")}`);
    }
    return "drop";
  }
  state.syncProblems += 1;
  if (onCard) {
    showRefusal(code, r.data && r.data.detail);
    c.local = false;
    if (!c.serverTouched) {
      // Refused for good and nothing on the server: nothing to show or undo.
      state.current = null;
      renderVisitor();
      $("undo").disabled = true;
    }
  }
  return "drop";
}

let flushAgain = false; // a forced flush was asked for while another one ran

export function doFlush(force = false) {
  if (state.flushing) {
    flushAgain = flushAgain || force;
    return state.flushing;
  }
  if (!navigator.onLine || state.queued.length === 0) return Promise.resolve();
  state.flushing = (async () => {
    renderNet();
    let outcome = { complete: true, sent: 0 };
    try {
      outcome = await flush(state.store, (item) => sendQueued(item, force), () => refreshPending());
      await refreshPending();
      if (outcome.sent > 0) loadEntriesSoon(0);
    } finally {
      state.flushing = null;
      renderNet();
    }
    const again = flushAgain;
    flushAgain = false;
    if (!online()) return;
    if (again) scheduleFlush(0, true);
    else if (!outcome.complete) scheduleFlush(3000);
    else if (state.queued.some((item) => !item.held)) scheduleFlush(300); // saved while sending
  })();
  return state.flushing;
}

let flushTimer = null;
let flushForce = false;

export function scheduleFlush(delay, force = false) {
  flushForce = flushForce || force;
  if (flushTimer) return;
  flushTimer = setTimeout(() => {
    flushTimer = null;
    const forced = flushForce;
    flushForce = false;
    doFlush(forced).catch(console.error);
  }, delay);
}

// ---- keys for offline checks --------------------------------------------------------

export async function refreshKeys() {
  if (!navigator.onLine) return;
  try {
    const r = await api("GET", "/keys");
    if (r.status !== 200) return;
    const saved = { data: r.data, at: new Date().toISOString() };
    await verifier.load(r.data);
    await state.store.putMeta("keys", saved);
    state.lastKeys = Date.now();
    renderKeys(saved.at);
  } catch { /* offline: keep the keys we have */ }
}

export function renderKeys(at) {
  $("keys-state").textContent = verifier.ready && at
    ? tr("tablet.keys_time", { time: clock(at) }) : tr("tablet.keys_missing");
}
