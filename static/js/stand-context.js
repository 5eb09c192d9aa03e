// The employer tablet (stand.js): what every part of the page shares. The page's texts and
// language, the state the parts read and change (one object, because an imported `let`
// cannot be assigned by its importer), API calls through device.js, the status bar and the
// result line.

import { BadgeVerifier } from "./badge-verify.js";
import { clockFor, pageTexts, translator } from "./device.js";

export const root = document.getElementById("stand-tablet");
export const slug = root.dataset.event;
export const lang = root.dataset.lang || "nl";
export const texts = pageTexts(root);
export const tr = translator(texts);
export const clock = clockFor(lang);
export const $ = (id) => document.getElementById(id);
export const LEVELS = ["direct", "follow_up", "training", "info"];
export const BAD_BADGE = new Set(["invalid", "unknown", "wrong_event", "revoked"]);
export const levelLabel = (level) => tr(`tablet.level.${level}`);
export const verifier = new BadgeVerifier();
export const byReg = new Map(); // registration id -> entry
export const cards = new Map(); // registration id -> last card from the server (memory only)
export const tokens = new Map(); // registration id -> badge scanned in this session (memory only)
export const vacancies = new Map(); // vacancy id -> title, from the best matches seen

/** What the parts of the page share and change. */
export const state = {
  device: null, // the paired device (pair.js): {token, event, role, label}
  client: null, // its DeviceApi (device.js)
  store: null, // OfflineStore "eventops-stand-<event>" (offline-queue.js)
  queued: [], // the queue's items, as last read
  syncProblems: 0,
  flushing: null, // the flush running now, or null
  lastKeys: 0, // Date.now() of the last key download
  entries: [], // this stand's entries, as the server last sent them (newest first)
  entriesAt: 0, // Date.now() of that answer; 0: never
  current: null, // the visitor on the card; see scan() in stand-outcome.js
  chain: Promise.resolve(), // scans and taps, one after another
  authTrouble: null, // the auth rule's last verdict (device.js), shown in the status bar
};

// ---- API ----------------------------------------------------------------------------

/** Online as far as we know: the browser says so and the last request got through. */
export function online() {
  return state.client.online();
}

/** {status, data, auth} (device.js); throws Offline. */
export function api(method, path, body) {
  return state.client.json(method, path, body);
}

export function apiWithin(timeout, method, path, body) {
  return state.client.json(method, path, body, timeout);
}

export function bodyOf(token, values) {
  return {
    token,
    level: values.level,
    note: values.note || null,
    rating: values.rating === null || values.rating === undefined ? null : values.rating,
    vacancy_id: values.vacancy_id || null,
  };
}

export function valuesOf(source) {
  return {
    level: LEVELS.includes(source.level) ? source.level : "info",
    note: source.note || "",
    rating: source.rating === null || source.rating === undefined ? null : Number(source.rating),
    vacancy_id: source.vacancy_id || null,
  };
}

// ---- status bar ---------------------------------------------------------------------

export function renderNet() {
  const net = $("net");
  if (!net) return;
  const isOnline = online();
  net.className = `tablet-net ${isOnline ? "tablet-net--online" : "tablet-net--offline"}`;
  net.dataset.online = String(isOnline);
  net.dataset.pending = String(state.queued.length);
  $("net-state").textContent = isOnline ? tr("tablet.online") : tr("tablet.offline");
  const pendingText = state.queued.length > 0
    ? (isOnline && state.flushing ? `${tr("tablet.syncing")} ` : "")
      + tr("tablet.pending", { n: state.queued.length })
    : "";
  setText($("net-pending"), pendingText);
  const held = state.queued.filter((item) => item.held).length;
  setText($("net-held"), held ? tr("tablet.held", { n: held }) : "");
  const problems = state.syncProblems;
  setText($("net-problems"), problems ? tr("tablet.sync_problems", { n: problems }) : "");
  // The auth rule's message (device.js) stays until an answer shows the token works again.
  net.dataset.auth = state.authTrouble || "";
  if (state.authTrouble) setText($("net-problems"), tr(`tablet.${state.authTrouble}`));
}

export function setText(el, text) {
  el.textContent = text;
  el.hidden = text === "";
}

/** The auth rule's verdict on the last answer (device.js): kept in the status bar until an
 *  answer shows the token works again. */
export function authChanged(problem) {
  if (problem === state.authTrouble) return;
  state.authTrouble = problem;
  renderNet();
}

// ---- result line --------------------------------------------------------------------

export function show(kind, status, title, detail) {
  const result = $("result");
  result.className = `tablet-result tablet-result--${kind}`;
  result.dataset.status = status;
  $("result-title").textContent = title;
  $("result-detail").textContent = detail || "";
  if (navigator.vibrate && (kind === "error" || kind === "warn")) navigator.vibrate([80, 60, 80]);
}

export function showRefusal(code, detail) {
  if (code === "not_checked_in") {
    show("warn", code, tr("tablet.r.not_checked_in"), tr("tablet.r.not_checked_in_help"));
  } else if (BAD_BADGE.has(code)) {
    show("error", code, tr(`tablet.r.${code}`), tr("tablet.r.help"));
  } else if (code === "unauthorized") {
    show("error", code, tr("tablet.unauthorized"), "");
  } else {
    show("error", "error", tr("tablet.r.error", { detail: detail || code }), "");
  }
}
