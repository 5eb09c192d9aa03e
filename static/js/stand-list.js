// The employer tablet (stand.js): today's list of this stand's entries, with the entries
// still in the queue first, and its search (on the server when online, else in the list).

import { REQUEST_TIMEOUT_MS } from "./device.js";
import { displayName } from "./stand-card.js";
import {
  $,
  api,
  apiWithin,
  byReg,
  clock,
  levelLabel,
  online,
  state,
  tokens,
  tr,
  valuesOf,
} from "./stand-context.js";
import { onScan } from "./stand-outcome.js";

export function setEntries(list) {
  state.entries = list;
  byReg.clear();
  for (const entry of list) byReg.set(entry.registration_id, entry);
}

export async function loadEntries(timeout = REQUEST_TIMEOUT_MS) {
  if (!navigator.onLine) return false;
  try {
    const r = await apiWithin(timeout, "GET", "/interests");
    if (r.status !== 200 || !Array.isArray(r.data)) return false;
    setEntries(r.data);
    state.entriesAt = Date.now();
    // Kept for offline use without contact details: first name, outcome, note only.
    const lean = r.data.map(({ name, email, phone, ...rest }) => rest);
    state.store.putMeta("entries", { at: new Date().toISOString(), list: lean }).catch(() => {});
    renderEntries();
    return true;
  } catch {
    return false;
  }
}

/** Put a saved entry into the list at once, so a quick re-scan is prefilled correctly even
 *  before the list comes back from the server. */
export function rememberEntry(registrationId, data, values) {
  const card = data.visitor || {};
  const old = byReg.get(registrationId) || {};
  const now = new Date().toISOString();
  const entry = {
    ...old,
    id: data.id,
    registration_id: registrationId,
    first_name: card.first_name || old.first_name,
    consented: card.consented === undefined ? old.consented : card.consented,
    name: card.name || null,
    email: card.email || null,
    phone: card.phone || null,
    ...values,
    mutual: Boolean(card.mutual),
    created_at: old.created_at || now,
    updated_at: now,
  };
  setEntries([entry, ...state.entries.filter((e) => e.registration_id !== registrationId)]);
  renderEntries();
}

let listTimer = null;

export function loadEntriesSoon(delay = 400) {
  if (listTimer) return;
  listTimer = setTimeout(() => {
    listTimer = null;
    loadEntries();
  }, delay);
}

// ---- the list and its search ----------------------------------------------------------

let searchHits = null; // the server's answer to a search, or null: no search

export function matchesQuery(entry, q) {
  const hay = [entry.first_name, entry.name, entry.note, entry.level, levelLabel(entry.level)]
    .filter(Boolean).join(" ").toLowerCase();
  return hay.includes(q);
}

export function renderEntries() {
  const list = $("entries");
  if (!list) return;
  const q = $("list-q").value.trim().toLowerCase();
  let shown = searchHits && q ? searchHits : state.entries;
  if (q && !(searchHits && q)) shown = shown.filter((entry) => matchesQuery(entry, q));
  const waiting = new Map(state.queued.map((item) => [item.registration_id, item]));
  const rows = [];
  // Entries still in the queue first: they are this tablet's newest.
  for (const item of state.queued) {
    const entry = byReg.get(item.registration_id);
    const row = { ...(entry || { registration_id: item.registration_id, consented: null }),
                  ...valuesOf(item), updated_at: item.saved_at, waiting: true };
    if (!entry) row.first_name = displayName(item.registration_id);
    if (!q || matchesQuery(row, q)) rows.push(row);
  }
  for (const entry of shown) {
    if (!waiting.has(entry.registration_id)) rows.push(entry);
  }
  list.replaceChildren(...rows.map(entryRow));
  const message = $("list-message");
  const parts = [rows.length ? tr("tablet.list.count", { n: rows.length })
    : tr(q ? "tablet.list.nohits" : "tablet.list.none")];
  if (!online() && state.entriesAt) {
    parts.push(tr("tablet.list.offline", { time: clock(new Date(state.entriesAt)) }));
  }
  message.textContent = parts.join(" ");
}

export function entryRow(entry) {
  const li = document.createElement("li");
  li.className = "tablet-entry";
  li.dataset.registration = String(entry.registration_id);
  li.dataset.level = entry.level;
  const head = document.createElement("p");
  head.className = "tablet-entry-head";
  const name = document.createElement("span");
  name.className = "tablet-entry-name";
  name.textContent = entry.name || entry.first_name || tr("tablet.card.visitor_n",
    { id: entry.registration_id });
  const level = document.createElement("span");
  level.className = `tablet-tag tablet-tag--${entry.level}`;
  level.textContent = levelLabel(entry.level);
  head.append(name, " ", level);
  if (entry.mutual) {
    const mutual = document.createElement("span");
    mutual.className = "tablet-tag tablet-tag--mutual";
    mutual.textContent = tr("tablet.list.mutual");
    head.append(" ", mutual);
  }
  if (entry.waiting) {
    const waiting = document.createElement("span");
    waiting.className = "tablet-tag tablet-tag--waiting";
    waiting.textContent = tr("tablet.list.waiting");
    head.append(" ", waiting);
  }
  li.append(head);
  const meta = [];
  if (entry.updated_at) meta.push(clock(entry.updated_at));
  if (entry.rating !== null && entry.rating !== undefined) {
    meta.push(tr("tablet.list.rating", { n: entry.rating }));
  }
  if (entry.consented === false) meta.push(tr("tablet.list.private"));
  if (entry.email) meta.push(entry.email);
  if (entry.phone) meta.push(entry.phone);
  if (meta.length) {
    const p = document.createElement("p");
    p.className = "tablet-entry-meta";
    p.textContent = meta.join(" · ");
    li.append(p);
  }
  if (entry.note) {
    const note = document.createElement("p");
    note.className = "tablet-entry-note";
    note.textContent = entry.note;
    li.append(note);
  }
  const token = tokens.get(entry.registration_id);
  if (token) {
    // The badge was scanned in this session: the entry can be opened again without it.
    const button = document.createElement("button");
    button.type = "button";
    button.className = "tablet-linkish";
    button.textContent = tr("tablet.list.edit");
    button.setAttribute("aria-label", tr("tablet.list.edit_name", { name: name.textContent }));
    button.addEventListener("click", () => {
      onScan(token);
      $("visitor").scrollIntoView({ block: "start" });
    });
    li.append(button);
  }
  return li;
}

export async function searchList(event) {
  event.preventDefault();
  const q = $("list-q").value.trim();
  searchHits = null;
  if (q && online()) {
    try {
      const r = await api("GET", `/interests?q=${encodeURIComponent(q)}`);
      if (r.status === 200 && Array.isArray(r.data)) searchHits = r.data;
    } catch { /* offline: search the list we have */ }
  }
  renderEntries();
}

/** The search field changed: filter the list we have until the next search. */
export function clearSearch() {
  searchHits = null;
  renderEntries();
}
