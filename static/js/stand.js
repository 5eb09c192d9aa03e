// The employer tablet at a stand: /stand/<event>.
//
// A scan (camera, hand scanner or the code field) opens the visitor's card and saves
// nothing: POST …/interests/card (the badge token in the body, not the URL) returns the card
// (first name always; name, e-mail and phone only when the visitor agreed to share them;
// skills, the best match with the stand's vacancies, and "mutual" when the visitor also said
// they are interested) and this stand's entry for the visitor, if any. A new visitor's card
// has no outcome chosen; a visitor with an entry shows what was saved. One tap on an outcome
// saves it through POST …/interests, so a re-scan edits the same entry: the server upserts
// on (employer, visitor).
//
// Offline (navigator.onLine is false, or a request fails or times out) the badge is checked
// here with the downloaded keys, the card shows what this tablet knows, and the tap keeps
// the entry in IndexedDB (database "eventops-stand-<event>", not the door's) until the
// network is back. The queue holds at most one item per visitor: a newer save for the same
// visitor replaces the older one, and while a visitor has an item in the queue their saves
// go through the queue, so the server always ends up with the newest values, once. A
// visitor who has not checked in at the door yet (the door may be offline too) is kept and
// tried again, not dropped.
//
// The device token lives in localStorage (pair.js) and goes in the Authorization header,
// never in a page URL; only the websocket (browsers cannot set its headers) carries it as a
// query parameter, as the server's stand feed requires.

import { BadgeVerifier, parseToken } from "./badge-verify.js";
import { OfflineStore, flush } from "./offline-queue.js";
import { forgetDevice, format, loadDevice, saveDevice } from "./pair.js";
import { Scanner } from "./scanner.js";

const root = document.getElementById("stand-tablet");
const slug = root.dataset.event;
const lang = root.dataset.lang || "nl";
const texts = JSON.parse(root.dataset.texts || "{}");
const locale = lang === "en" ? "en-GB" : "nl-NL";
const $ = (id) => document.getElementById(id);

const LEVELS = ["direct", "follow_up", "training", "info"];
const REQUEST_TIMEOUT_MS = 6000;
const KEYS_EVERY_MS = 5 * 60_000;
const LIST_EVERY_MS = 30_000;
const TICK_MS = 10_000;
const HOLD_RETRY_MS = 30_000; // a visitor not checked in yet: try again after this
const HOLD_MAX_MS = 4 * 3600_000; // … for at most this long
const HERE_MAX = 30;
const BAD_BADGE = new Set(["invalid", "unknown", "wrong_event", "revoked"]);

function tr(key, values) {
  return format(texts[key] || key, values);
}

function clock(iso) {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return "";
  return when.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit",
                                          timeZone: "Europe/Amsterdam" });
}

const levelLabel = (level) => tr(`tablet.level.${level}`);

// ---- state ------------------------------------------------------------------------------

let device = null;
let store = null;
const verifier = new BadgeVerifier();
let networkFailed = false; // a request failed although navigator.onLine said online
let queued = []; // the queue's items, as last read
let syncProblems = 0;
let flushing = null;
let lastKeys = 0;
let entries = []; // this stand's entries, as the server last sent them (newest first)
let entriesAt = 0; // Date.now() of that answer; 0: never
const byReg = new Map(); // registration id -> entry
const cards = new Map(); // registration id -> last card from the server (memory only)
const tokens = new Map(); // registration id -> badge scanned in this session (memory only)
const vacancies = new Map(); // vacancy id -> title, from the best matches seen
let current = null; // the visitor on the card; see openVisitor()
let chain = Promise.resolve();
let unauthorized = false;

class Offline extends Error {}

function online() {
  return navigator.onLine && !networkFailed;
}

// ---- API ----------------------------------------------------------------------------------

async function call(method, path, body, timeout = REQUEST_TIMEOUT_MS) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeout);
  let response;
  try {
    response = await fetch(`/api/v1/events/${encodeURIComponent(slug)}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${device.token}`,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
      signal: controller.signal,
    });
  } catch (err) {
    networkFailed = true;
    renderNet();
    throw new Offline(String(err));
  } finally {
    clearTimeout(timer);
  }
  if (networkFailed) {
    networkFailed = false;
    renderNet();
  }
  return response;
}

function api(method, path, body) {
  return apiWithin(REQUEST_TIMEOUT_MS, method, path, body);
}

async function apiWithin(timeout, method, path, body) {
  const response = await call(method, path, body, timeout);
  let data = null;
  try {
    data = await response.json();
  } catch { /* empty or not JSON */ }
  if (isAuthProblem(response.status, data)) showUnauthorized();
  return { status: response.status, data };
}

function isAuthProblem(status, data) {
  return status === 401 || (status === 403 && !(data && data.error === "wrong_event"));
}

function bodyOf(token, values) {
  return {
    token,
    level: values.level,
    note: values.note || null,
    rating: values.rating === null || values.rating === undefined ? null : values.rating,
    vacancy_id: values.vacancy_id || null,
  };
}

function valuesOf(source) {
  return {
    level: LEVELS.includes(source.level) ? source.level : "info",
    note: source.note || "",
    rating: source.rating === null || source.rating === undefined ? null : Number(source.rating),
    vacancy_id: source.vacancy_id || null,
  };
}

// ---- the offline queue (one item per visitor) ---------------------------------------------

/** Put `item` at the end of the queue, replacing any item for the same visitor. */
function replaceQueued(registrationId, item) {
  return store.run("queue", "readwrite", (tx) => {
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
function requeue(item) {
  return store.run("queue", "readwrite", (tx) => {
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

async function queuedFor(registrationId) {
  const items = await store.list();
  return items.filter((item) => item.registration_id === registrationId).pop() || null;
}

async function refreshPending() {
  queued = await store.list();
  renderNet();
  renderEntries();
}

// ---- status bar ---------------------------------------------------------------------------

function renderNet() {
  const net = $("net");
  if (!net) return;
  const isOnline = online();
  net.className = `tablet-net ${isOnline ? "tablet-net--online" : "tablet-net--offline"}`;
  net.dataset.online = String(isOnline);
  net.dataset.pending = String(queued.length);
  $("net-state").textContent = isOnline ? tr("tablet.online") : tr("tablet.offline");
  const pendingText = queued.length > 0
    ? (isOnline && flushing ? `${tr("tablet.syncing")} ` : "")
      + tr("tablet.pending", { n: queued.length })
    : "";
  setText($("net-pending"), pendingText);
  const held = queued.filter((item) => item.held).length;
  setText($("net-held"), held ? tr("tablet.held", { n: held }) : "");
  setText($("net-problems"), syncProblems ? tr("tablet.sync_problems", { n: syncProblems }) : "");
  if (unauthorized) setText($("net-problems"), tr("tablet.unauthorized"));
}

function setText(el, text) {
  el.textContent = text;
  el.hidden = text === "";
}

function showUnauthorized() {
  unauthorized = true;
  renderNet();
}

// ---- result line ------------------------------------------------------------------------------

function show(kind, status, title, detail) {
  const result = $("result");
  result.className = `tablet-result tablet-result--${kind}`;
  result.dataset.status = status;
  $("result-title").textContent = title;
  $("result-detail").textContent = detail || "";
  if (navigator.vibrate && (kind === "error" || kind === "warn")) navigator.vibrate([80, 60, 80]);
}

function showRefusal(code, detail) {
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

// ---- learning from the server's answers ---------------------------------------------------

function learnCard(card) {
  if (!card) return;
  cards.set(card.registration_id, card);
  const best = card.best_match;
  if (best && !vacancies.has(best.vacancy_id)) {
    vacancies.set(best.vacancy_id, best.title);
    store.putMeta("vacancies", [...vacancies]).catch(() => {});
  }
}

function setEntries(list) {
  entries = list;
  byReg.clear();
  for (const entry of list) byReg.set(entry.registration_id, entry);
}

async function loadEntries(timeout = REQUEST_TIMEOUT_MS) {
  if (!navigator.onLine) return false;
  try {
    const r = await apiWithin(timeout, "GET", "/interests");
    if (r.status !== 200 || !Array.isArray(r.data)) return false;
    setEntries(r.data);
    entriesAt = Date.now();
    // Kept for offline use without contact details: first name, outcome, note only.
    const lean = r.data.map(({ name, email, phone, ...rest }) => rest);
    store.putMeta("entries", { at: new Date().toISOString(), list: lean }).catch(() => {});
    renderEntries();
    return true;
  } catch {
    return false;
  }
}

/** Put a saved entry into the list at once, so a quick re-scan is prefilled correctly even
 *  before the list comes back from the server. */
function rememberEntry(registrationId, data, values) {
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
  setEntries([entry, ...entries.filter((e) => e.registration_id !== registrationId)]);
  renderEntries();
}

let listTimer = null;
function loadEntriesSoon(delay = 400) {
  if (listTimer) return;
  listTimer = setTimeout(() => {
    listTimer = null;
    loadEntries();
  }, delay);
}

// ---- the visitor on the card ---------------------------------------------------------------
//
// current = {
//   registrationId, token,
//   values: {level, note, rating, vacancy_id}   the last choice made on this card,
//   savedValues: what is stored now (server or queue), or null: nothing yet,
//   before: values before this visit (queue, server or list), or null: new,
//   queuedBefore: the queue item before this visit, or null,
//   interestId, serverWrites (saves the server took in this visit; undo takes each back),
//   serverTouched, saved (a tap in this visit was stored), local (the last save is in the
//   queue), localStatus (the offline badge check), offline (no card from the server),
// }

/** A scan opens the card and saves nothing: the server's read-only card (with this stand's
 *  entry, if any), or, without a network, the badge checked with the downloaded keys. The
 *  employer's tap on an outcome is what saves (save()). */
async function scan(text) {
  const token = text.trim();
  if (!token) return;
  const parsed = parseToken(token);
  if (!parsed) {
    showRefusal("invalid");
    return;
  }
  const reg = parsed.claim.registrationId;
  show("busy", "working", tr("tablet.working"), "");
  const c = {
    registrationId: reg,
    token,
    values: null,
    savedValues: null,
    before: null,
    queuedBefore: null,
    interestId: null,
    serverWrites: 0,
    serverTouched: false,
    saved: false,
    local: false,
    localStatus: null,
    offline: false,
  };
  const answer = await fetchCard(c);
  if (answer.refused) {
    current = c;
    refused(c, answer.code, answer.detail);
    return;
  }
  if (!answer.card) {
    const verdict = await verifier.verify(token);
    c.localStatus = verdict.status;
    if (verdict.status === "invalid" || verdict.status === "revoked") {
      current = c;
      refused(c, verdict.status);
      return;
    }
    c.offline = true;
  }
  const inQueue = await queuedFor(reg);
  // Without the server's answer, the list as last downloaded is the best we know.
  const entry = answer.card ? answer.entry : byReg.get(reg) || null;
  c.before = inQueue ? valuesOf(inQueue) : entry ? valuesOf(entry) : null;
  c.savedValues = c.before;
  c.queuedBefore = inQueue;
  c.interestId = entry ? entry.id : null;
  c.values = c.before || { level: null, note: "", rating: null, vacancy_id: null };
  current = c;
  fillDetails(c.values);
  renderVisitor();
  $("undo").disabled = true; // undo is for a tap on this card
  const first = (answer.card && answer.card.first_name) || displayName(reg);
  if (c.offline) {
    const checked = c.localStatus === "ok";
    show(checked ? "ok" : "warn", checked ? "offline_card" : "offline_nokeys",
      tr(checked ? "tablet.r.offline_card" : "tablet.r.nokeys"),
      tr(checked ? "tablet.r.offline_card_hint" : "tablet.r.nokeys_card_hint"));
  } else if (c.before) {
    show("ok", "known", tr("tablet.r.again", { level: levelLabel(c.before.level) }),
      tr("tablet.r.again_hint"));
  } else {
    show("idle", "card", tr("tablet.r.card", { name: first }), tr("tablet.r.card_hint"));
  }
}

/** Ask the server for the card. {card, entry} on success, {refused, code, detail} when the
 *  badge is refused, {} when there is no usable answer (offline, 5xx, rate limited, token). */
async function fetchCard(c) {
  if (!online()) return {};
  let r;
  try {
    r = await api("POST", `/interests/card?lang=${encodeURIComponent(lang)}`, { token: c.token });
  } catch (err) {
    if (err instanceof Offline) return {};
    throw err;
  }
  if (r.status === 200 && r.data && r.data.visitor) {
    learnCard(r.data.visitor);
    if (r.data.entry && !byReg.has(c.registrationId)) loadEntriesSoon(); // another tablet's
    return { card: r.data.visitor, entry: r.data.entry || null };
  }
  if (!isAuthProblem(r.status, r.data) && r.status >= 400 && r.status < 500 && r.status !== 429) {
    return { refused: true, code: (r.data && r.data.error) || String(r.status),
             detail: r.data && r.data.detail };
  }
  return {};
}

/** Save `values` for visitor `c`: online straight away, otherwise (or when the visitor has
 *  something in the queue already) through the queue. */
async function save(c, values, why) {
  c.values = values;
  if (c === current) renderChoice();
  const inQueue = await queuedFor(c.registrationId);
  if (online() && !inQueue) {
    let r = null;
    try {
      r = await api("POST", `/interests?lang=${encodeURIComponent(lang)}`, bodyOf(c.token, values));
    } catch (err) {
      if (!(err instanceof Offline)) throw err;
    }
    if (r && r.status === 201) {
      savedOnServer(c, r.data, why);
      return;
    }
    if (r && !isAuthProblem(r.status, r.data) && r.status < 500 && r.status !== 429) {
      refused(c, (r.data && r.data.error) || String(r.status), r.data && r.data.detail);
      return;
    }
    // No answer, 5xx, rate limited or a token problem: keep it, send it later.
  }
  await keepLocally(c, values, why);
}

function savedOnServer(c, data, why) {
  learnCard(data.visitor);
  rememberEntry(c.registrationId, data, c.values);
  tokens.set(c.registrationId, c.token);
  c.savedValues = c.values;
  c.interestId = data.id;
  c.serverTouched = true;
  c.serverWrites += 1; // undo takes back each of them
  c.saved = true;
  c.local = false;
  if (c !== current) return;
  renderVisitor();
  const level = levelLabel(c.values.level);
  if (why === "level" && c.before === null && data.created) {
    show("ok", "saved", tr("tablet.r.new", { level }), tr("tablet.r.new_hint"));
  } else if (why === "sync") {
    show("ok", "saved", tr("tablet.r.saved", { level }),
      c.wasOffline ? tr("tablet.r.synced_hint") : "");
  } else {
    show("ok", "saved", tr("tablet.r.saved", { level }), "");
  }
  $("undo").disabled = false;
  loadEntriesSoon();
}

function refused(c, code, detail) {
  if (c !== current) return;
  showRefusal(code, detail);
  if (!c.saved) {
    // Nothing was saved for this visitor: no card, nothing to undo.
    current = null;
    renderVisitor();
    $("undo").disabled = true;
  } else {
    c.values = c.savedValues; // the buttons show what is really saved
    renderChoice();
  }
}

async function keepLocally(c, values, why) {
  if (!c.localStatus) {
    const verdict = await verifier.verify(c.token);
    c.localStatus = verdict.status;
  }
  if (c.localStatus === "invalid" || c.localStatus === "revoked") {
    refused(c, c.localStatus);
    return;
  }
  await replaceQueued(c.registrationId, {
    registration_id: c.registrationId,
    token: c.token,
    ...values,
    saved_at: new Date().toISOString(),
    local_status: c.localStatus,
    attempts: 0,
  });
  tokens.set(c.registrationId, c.token);
  c.savedValues = values;
  c.saved = true;
  c.local = true;
  await refreshPending();
  if (c === current) {
    renderVisitor();
    const level = levelLabel(values.level);
    if (online()) {
      show("busy", "sending", tr("tablet.syncing"), "");
    } else {
      c.wasOffline = true;
      show("ok", "queued", tr("tablet.r.offline", { level }),
        c.localStatus === "nokeys" ? tr("tablet.r.nokeys_hint") : tr("tablet.r.offline_hint"));
    }
    $("undo").disabled = false;
  }
  scheduleFlush(online() ? 0 : 3000);
}

// ---- drawing the card ------------------------------------------------------------------------

function displayName(reg) {
  const card = cards.get(reg);
  const entry = byReg.get(reg);
  return (card && (card.name || card.first_name)) || (entry && (entry.name || entry.first_name))
    || tr("tablet.card.visitor_n", { id: reg });
}

function renderVisitor() {
  const section = $("visitor");
  if (!current) {
    section.hidden = true;
    section.removeAttribute("data-registration");
    return;
  }
  const reg = current.registrationId;
  const card = cards.get(reg) || null;
  const entry = byReg.get(reg) || null;
  section.hidden = false;
  section.dataset.registration = String(reg);
  const first = (card && card.first_name) || (entry && entry.first_name) || null;
  $("visitor-name").textContent = displayName(reg);

  const consented = card ? card.consented : entry ? entry.consented : null;
  const consent = $("visitor-consent");
  consent.hidden = consented === null;
  consent.className = `tablet-consent ${consented ? "tablet-consent--yes" : "tablet-consent--no"}`;
  consent.textContent = consented === null ? ""
    : tr(consented ? "tablet.card.consented" : "tablet.card.private", { name: first || "" });

  // Contact details: only what the server sent, which it sends only with consent.
  const contact = $("visitor-contact");
  contact.replaceChildren();
  const source = card || entry;
  if (consented && source) {
    for (const [key, value] of [["name", source.name], ["email", source.email],
      ["phone", source.phone]]) {
      if (!value) continue;
      const dt = document.createElement("dt");
      dt.textContent = tr(`tablet.card.${key}`);
      const dd = document.createElement("dd");
      if (key === "email" || key === "phone") {
        const link = document.createElement("a");
        link.href = `${key === "email" ? "mailto:" : "tel:"}${value}`;
        link.textContent = value;
        dd.append(link);
      } else {
        dd.textContent = value;
      }
      contact.append(dt, dd);
    }
  }
  contact.hidden = contact.children.length === 0;

  const mutual = Boolean((card && card.mutual) || (entry && entry.mutual));
  const mutualEl = $("visitor-mutual");
  mutualEl.hidden = !mutual;
  mutualEl.textContent = mutual ? tr("tablet.card.mutual", { name: first || "" }) : "";
  section.dataset.mutual = String(mutual);

  renderMatch(card);
  renderSkills(card, first);
  $("visitor-offline").hidden = Boolean(card);
  renderChoice();
}

function renderMatch(card) {
  const title = $("match-title");
  const meter = $("match-meter");
  const matched = $("match-matched");
  const box = $("visitor-match");
  box.hidden = !card;
  if (!card) return;
  const best = card.best_match;
  if (!best) {
    title.textContent = tr("tablet.card.no_match");
    meter.hidden = true;
    matched.textContent = "";
    return;
  }
  title.textContent = tr("tablet.card.match", { title: best.title, score: best.score });
  meter.hidden = false;
  meter.value = best.score;
  const names = new Map(card.competencies.map((c) => [c.code, c.name]));
  const list = (best.matched || []).map((code) => names.get(code) || code);
  matched.textContent = list.length ? tr("tablet.card.matched", { list: list.join(", ") })
    : tr("tablet.card.matched_none");
}

function renderSkills(card, first) {
  const heading = $("skills-heading");
  const list = $("visitor-skills");
  const education = $("visitor-education");
  list.replaceChildren();
  heading.hidden = !card;
  list.hidden = !card;
  education.hidden = true;
  if (!card) return;
  heading.textContent = tr("tablet.card.skills", { name: first || "" });
  if (!card.competencies.length) {
    const li = document.createElement("li");
    li.textContent = tr("tablet.card.skills_none");
    list.append(li);
  }
  for (const skill of card.competencies) {
    const li = document.createElement("li");
    const name = document.createElement("span");
    name.textContent = skill.name;
    const level = document.createElement("span");
    level.className = "tablet-skill-level";
    level.textContent = tr(`level.${skill.level}`);
    li.append(name, " ", level);
    list.append(li);
  }
  if (card.education_level) {
    education.hidden = false;
    education.textContent = tr("tablet.card.education",
      { level: tr(`edu.${card.education_level}`) });
  }
}

function renderChoice() {
  if (!current) return;
  // Pressed: what is stored for this visitor; nothing for a visitor not saved yet.
  const level = current.savedValues ? current.savedValues.level : null;
  for (const button of document.querySelectorAll("#outcome [data-level]")) {
    button.setAttribute("aria-pressed", String(button.dataset.level === level));
  }
  // New vacancy titles may have come with the card; keep what is selected.
  const selected = $("vacancy-select").value;
  fillVacancies(selected === "" ? null : Number(selected));
}

/** Put saved values into the optional fields: only when a visitor is opened. */
function fillDetails(values) {
  const form = $("details-form");
  const rating = values.rating === null || values.rating === undefined ? "" : String(values.rating);
  for (const radio of form.elements.rating) radio.checked = radio.value === rating;
  $("note-input").value = values.note || "";
  fillVacancies(values.vacancy_id);
}

function fillVacancies(selected) {
  const select = $("vacancy-select");
  const known = new Map(vacancies);
  const card = current && cards.get(current.registrationId);
  if (card && card.best_match) known.set(card.best_match.vacancy_id, card.best_match.title);
  if (selected && !known.has(selected)) known.set(selected, tr("tablet.vacancy.n", { id: selected }));
  const options = [new Option(tr("tablet.vacancy.none"), "")];
  for (const [id, title] of known) options.push(new Option(title, String(id)));
  select.replaceChildren(...options);
  select.value = selected ? String(selected) : "";
}

function readDetails() {
  const form = $("details-form");
  const rating = form.elements.rating.value;
  const vacancy = $("vacancy-select").value;
  return {
    note: $("note-input").value.trim(),
    rating: rating === "" ? null : Number(rating),
    vacancy_id: vacancy === "" ? null : Number(vacancy),
  };
}

// ---- undo -------------------------------------------------------------------------------------

async function undo() {
  const c = current;
  if (!c || !c.saved) return;
  $("undo").disabled = true;
  if (flushing) await flushing.catch(() => {}); // an entry being sent right now: let it land
  const name = displayName(c.registrationId);
  // 1. The queue: take this visit's item out; put back what was waiting before.
  await replaceQueued(c.registrationId, c.queuedBefore);
  // 2. The server: take back this visit's own saves, newest first. Each undo puts back
  //    exactly what was there before that save (the entry goes when the save made it), and
  //    is refused when another tablet or the admin code changed the entry since.
  let back = c.before;
  if (c.serverTouched) {
    let r = { status: 200, data: { entry: null } };
    try {
      if (!online()) throw new Offline();
      while (c.serverWrites > 0) {
        r = await api("POST", "/interests/undo", { interest_id: c.interestId });
        if (r.status !== 200) break;
        c.serverWrites -= 1;
      }
    } catch {
      await refreshPending();
      show("error", "error", tr("tablet.undo_offline"), "");
      $("undo").disabled = false;
      return;
    }
    if (r.status !== 200) {
      await refreshPending();
      show("error", "error", tr("tablet.undo_failed",
        { detail: (r.data && r.data.detail) || r.status }), "");
      $("undo").disabled = false;
      return;
    }
    back = r.data.entry; // what the server holds now (null: the entry is gone)
  }
  current = null;
  renderVisitor();
  fillDetails({ level: null, note: "", rating: null, vacancy_id: null });
  await refreshPending();
  if (back) {
    show("idle", "undone", tr("tablet.undone_back", { name, level: levelLabel(back.level) }),
      "");
  } else {
    show("idle", "undone", tr("tablet.undone", { name }), "");
  }
  await loadEntries();
  renderEntries();
}

// ---- sending the queue ---------------------------------------------------------------------

async function sendQueued(item, force) {
  if (!(await store.get(item.id))) return "done"; // replaced by a newer save meanwhile
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
    const c = current;
    if (c && c.registrationId === item.registration_id && c.local) {
      savedOnServer(c, r.data, "sync");
    }
    return "done";
  }
  if (isAuthProblem(r.status, r.data) || r.status === 429 || r.status >= 500) return "retry";
  const code = (r.data && r.data.error) || String(r.status);
  const c = current;
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
  syncProblems += 1;
  if (onCard) {
    showRefusal(code, r.data && r.data.detail);
    c.local = false;
    if (!c.serverTouched) {
      // Refused for good and nothing on the server: nothing to show or undo.
      current = null;
      renderVisitor();
      $("undo").disabled = true;
    }
  }
  return "drop";
}

let flushAgain = false; // a forced flush was asked for while another one ran

function doFlush(force = false) {
  if (flushing) {
    flushAgain = flushAgain || force;
    return flushing;
  }
  if (!navigator.onLine || queued.length === 0) return Promise.resolve();
  flushing = (async () => {
    renderNet();
    let outcome = { complete: true, sent: 0 };
    try {
      outcome = await flush(store, (item) => sendQueued(item, force), () => refreshPending());
      await refreshPending();
      if (outcome.sent > 0) loadEntriesSoon(0);
    } finally {
      flushing = null;
      renderNet();
    }
    const again = flushAgain;
    flushAgain = false;
    if (!online()) return;
    if (again) scheduleFlush(0, true);
    else if (!outcome.complete) scheduleFlush(3000);
    else if (queued.some((item) => !item.held)) scheduleFlush(300); // saved while sending
  })();
  return flushing;
}

let flushTimer = null;
let flushForce = false;
function scheduleFlush(delay, force = false) {
  flushForce = flushForce || force;
  if (flushTimer) return;
  flushTimer = setTimeout(() => {
    flushTimer = null;
    const forced = flushForce;
    flushForce = false;
    doFlush(forced).catch(console.error);
  }, delay);
}

// ---- keys for offline checks ---------------------------------------------------------------

async function refreshKeys() {
  if (!navigator.onLine) return;
  try {
    const r = await api("GET", "/keys");
    if (r.status !== 200) return;
    const saved = { data: r.data, at: new Date().toISOString() };
    await verifier.load(r.data);
    await store.putMeta("keys", saved);
    lastKeys = Date.now();
    renderKeys(saved.at);
  } catch { /* offline: keep the keys we have */ }
}

function renderKeys(at) {
  $("keys-state").textContent = verifier.ready && at
    ? tr("tablet.keys_time", { time: clock(at) }) : tr("tablet.keys_missing");
}

// ---- today's list ----------------------------------------------------------------------------

let searchHits = null; // the server's answer to a search, or null: no search

function matchesQuery(entry, q) {
  const hay = [entry.first_name, entry.name, entry.note, entry.level, levelLabel(entry.level)]
    .filter(Boolean).join(" ").toLowerCase();
  return hay.includes(q);
}

function renderEntries() {
  const list = $("entries");
  if (!list) return;
  const q = $("list-q").value.trim().toLowerCase();
  let shown = searchHits && q ? searchHits : entries;
  if (q && !(searchHits && q)) shown = shown.filter((entry) => matchesQuery(entry, q));
  const waiting = new Map(queued.map((item) => [item.registration_id, item]));
  const rows = [];
  // Entries still in the queue first: they are this tablet's newest.
  for (const item of queued) {
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
  if (!online() && entriesAt) {
    parts.push(tr("tablet.list.offline", { time: clock(new Date(entriesAt)) }));
  }
  message.textContent = parts.join(" ");
}

function entryRow(entry) {
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

async function searchList(event) {
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

// ---- export and stand QR (fetched with the token in the header, shown from a Blob) --------------

async function fetchBlob(path) {
  if (!navigator.onLine) throw new Offline();
  const response = await call("GET", path, undefined, 30_000);
  if (!response.ok) {
    let detail = String(response.status);
    try {
      detail = (await response.json()).detail || detail;
    } catch { /* not JSON */ }
    if (response.status === 401 || response.status === 403) showUnauthorized();
    throw new Error(detail);
  }
  return response.blob();
}

// ---- the employer admin's scan-only tablets (pair, list, revoke) ---------------------------

async function loadTablets() {
  const { status, data } = await api("GET", "/devices");
  if (status !== 200) return;
  const list = $("tablet-list");
  list.replaceChildren();
  if (!data.length) {
    const none = document.createElement("li");
    none.textContent = tr("tablet.tablets.none");
    list.append(none);
  }
  for (const tablet of data) {
    const item = document.createElement("li");
    item.textContent = tablet.label + " ";
    if (tablet.revoked_at) {
      item.append(`(${tr("tablet.tablets.revoked")})`);
    } else {
      const revoke = document.createElement("button");
      revoke.type = "button";
      revoke.className = "button tablet-button-quiet";
      revoke.textContent = tr("tablet.tablets.revoke");
      revoke.setAttribute("aria-label", `${tr("tablet.tablets.revoke")}: ${tablet.label}`);
      revoke.addEventListener("click", () => revokeTablet(tablet.id));
      item.append(revoke);
    }
    list.append(item);
  }
}

async function addTablet(event) {
  event.preventDefault();
  const label = $("tablet-label").value.trim();
  const message = $("tablets-message");
  message.textContent = "";
  try {
    const { status, data } = await api("POST", "/pairings", { role: "employer_tablet", label });
    if (status !== 201) throw new Error(String(status));
    $("tablet-qr").src = data.qr;
    $("tablet-pairing").hidden = false;
    $("tablet-label").value = "";
    await loadTablets();
  } catch {
    message.textContent = tr("tablet.tablets.failed");
  }
}

async function revokeTablet(id) {
  try {
    const { status } = await api("POST", `/devices/${id}/revoke`);
    if (status !== 201) throw new Error(String(status));
    await loadTablets();
  } catch {
    $("tablets-message").textContent = tr("tablet.tablets.failed");
  }
}

async function exportList() {
  const message = $("tools-message");
  let blob;
  try {
    blob = await fetchBlob(`/interests.csv?lang=${lang}`); // headers in the page language
  } catch (err) {
    message.textContent = err instanceof Offline ? tr("tablet.export.offline")
      : tr("tablet.r.error", { detail: err.message });
    return;
  }
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = `${slug}-interests.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  message.textContent = tr("tablet.export.done");
}

let qrUrl = null;
async function showQr() {
  const message = $("tools-message");
  if (!qrUrl) {
    try {
      qrUrl = URL.createObjectURL(await fetchBlob("/stand-qr.png"));
    } catch (err) {
      message.textContent = err instanceof Offline ? tr("tablet.qr.offline")
        : tr("tablet.r.error", { detail: err.message });
      return;
    }
  }
  message.textContent = "";
  const image = $("qr-image");
  image.src = qrUrl;
  const dialog = $("qr-dialog");
  if (typeof dialog.showModal === "function") dialog.showModal();
  else dialog.setAttribute("open", "");
  $("qr-close").focus();
}

function closeQr() {
  const dialog = $("qr-dialog");
  if (typeof dialog.close === "function") dialog.close();
  else dialog.removeAttribute("open");
}

// ---- who is here (stand websocket) ---------------------------------------------------------------

let wsAttempts = 0;
let wsStopped = false;
let here = null; // the open (or opening) websocket
let hereTimer = null; // a pending reconnect

function setHere(on, key, values) {
  const state = $("here-state");
  state.className = `tablet-net ${on ? "tablet-net--online" : "tablet-net--offline"}`;
  state.dataset.live = String(on);
  state.textContent = tr(key, values);
}

function connectHere() {
  if (here || wsStopped) return;
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const url = `${scheme}//${location.host}/ws/events/${encodeURIComponent(slug)}/stand`
    + `?token=${encodeURIComponent(device.token)}&lang=${encodeURIComponent(lang)}`;
  let ws;
  try {
    ws = new WebSocket(url);
  } catch {
    reconnectHere();
    return;
  }
  here = ws;
  ws.addEventListener("message", (event) => {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    if (message.type === "hello") {
      wsAttempts = 0;
      setHere(true, "tablet.here.live", { n: message.recommended });
    } else if (message.type === "arrival" && message.visitor) {
      arrived(message.visitor, message.at);
    }
  });
  ws.addEventListener("close", () => {
    if (here === ws) here = null;
    setHere(false, "tablet.here.reconnecting");
    reconnectHere();
  });
}

function reconnectHere(delay) {
  if (hereTimer || wsStopped) return;
  wsAttempts += 1;
  const base = Math.min(30_000, 1000 * 2 ** Math.min(wsAttempts - 1, 5));
  hereTimer = setTimeout(() => {
    hereTimer = null;
    if (unauthorized) {
      wsStopped = true;
      return;
    }
    connectHere();
  }, delay ?? base * (0.75 + Math.random() * 0.5));
}

/** The network went away: a dead connection can look open for minutes, so drop it. */
function hereOffline() {
  if (here) here.close();
  setHere(false, "tablet.here.reconnecting");
}

/** The network is back: connect now instead of waiting for the backoff. */
function hereOnline() {
  if (here) return;
  if (hereTimer) clearTimeout(hereTimer);
  hereTimer = null;
  wsAttempts = 0;
  connectHere();
}

function arrived(card, at) {
  learnCard(card);
  const list = $("here-list");
  for (const old of list.querySelectorAll(`[data-registration="${card.registration_id}"]`)) {
    old.remove();
  }
  const li = document.createElement("li");
  li.className = "tablet-here-item";
  li.dataset.registration = String(card.registration_id);
  const name = document.createElement("p");
  name.className = "tablet-here-name";
  name.textContent = card.name || card.first_name;
  const when = document.createElement("span");
  when.className = "hint";
  when.textContent = ` ${tr("tablet.here.arrived", { time: clock(at) })}`;
  name.append(when);
  li.append(name);
  if (card.best_match) {
    const match = document.createElement("p");
    match.className = "tablet-here-match";
    match.textContent = tr("tablet.card.match", { title: card.best_match.title,
                                                  score: card.best_match.score });
    li.append(match);
  }
  if (card.mutual) {
    const mutual = document.createElement("span");
    mutual.className = "tablet-tag tablet-tag--mutual";
    mutual.textContent = tr("tablet.list.mutual");
    li.append(mutual);
  }
  list.prepend(li);
  while (list.children.length > HERE_MAX) list.lastElementChild.remove();
  $("here-none").hidden = true;
  $("here-announce").textContent = tr("tablet.here.announce", { name: card.first_name });
  // A held entry for this visitor can go now: they have checked in.
  if (queued.some((item) => item.registration_id === card.registration_id)) {
    scheduleFlush(0, true);
  }
}

// ---- camera ---------------------------------------------------------------------------------------

let scanner = null;
const CAMERA_PREF = "eventops.stand.camera";

async function toggleCamera() {
  const button = $("camera-toggle");
  $("camera-error").hidden = true;
  if (scanner.cameraOn) {
    scanner.stopCamera();
    localStorage.setItem(CAMERA_PREF, "off");
    return;
  }
  button.disabled = true;
  try {
    await scanner.startCamera();
    localStorage.setItem(CAMERA_PREF, "on");
  } catch (err) {
    console.warn("camera", err);
    $("camera-error").hidden = false;
  } finally {
    button.disabled = false;
  }
}

function cameraChanged(on) {
  const button = $("camera-toggle");
  button.textContent = on ? button.dataset.on : button.dataset.off;
  button.setAttribute("aria-pressed", String(on));
  $("camera-video").hidden = !on;
}

// ---- start ------------------------------------------------------------------------------------

function onScan(text) {
  chain = chain.then(() => scan(text)).catch(failed);
  return chain;
}

function failed(err) {
  console.error(err);
  show("error", "error", tr("tablet.r.error", { detail: String(err) }), "");
}

function onChoose(level) {
  if (!current) return;
  const c = current;
  chain = chain.then(() => save(c, { ...readDetails(), level }, "level")).catch(failed);
}

function onDetails(event) {
  event.preventDefault();
  if (!current) return;
  const c = current;
  if (!c.values || !c.values.level) {
    // Nothing saved yet: the outcome tap saves the details too.
    show("warn", "choose_level", tr("tablet.r.choose_level"), tr("tablet.r.choose_level_hint"));
    return;
  }
  chain = chain.then(() => save(c, { ...readDetails(), level: c.values.level }, "details"))
    .catch(failed);
}

function tick() {
  if (!navigator.onLine) return;
  if (queued.length > 0) scheduleFlush(0);
  if (Date.now() - lastKeys > KEYS_EVERY_MS) refreshKeys();
}

async function start() {
  $("unpaired").hidden = true;
  $("tablet-app").hidden = false;
  $("device-label").textContent = tr("tablet.device", { label: device.label || "?" });
  store = await OfflineStore.open(`eventops-stand-${slug}`);
  const saved = await store.getMeta("keys");
  if (saved && saved.data) {
    await verifier.load(saved.data);
    renderKeys(saved.at);
  } else {
    renderKeys(null);
  }
  for (const [id, title] of (await store.getMeta("vacancies")) || []) vacancies.set(id, title);
  const list = await store.getMeta("entries");
  if (list && Array.isArray(list.list)) {
    setEntries(list.list);
    entriesAt = Date.parse(list.at) || 0;
  }
  await refreshPending();

  scanner = new Scanner({
    video: $("camera-video"),
    form: $("code-form"),
    onScan,
    onCameraChange: cameraChanged,
  });
  $("camera-toggle").addEventListener("click", toggleCamera);
  for (const button of document.querySelectorAll("#outcome [data-level]")) {
    button.addEventListener("click", () => onChoose(button.dataset.level));
  }
  $("details-form").addEventListener("submit", onDetails);
  $("undo").addEventListener("click", () => {
    chain = chain.then(undo).catch(failed);
  });
  $("list-search").addEventListener("submit", searchList);
  $("list-q").addEventListener("input", () => {
    searchHits = null;
    renderEntries();
  });
  // The export and the stand's tablets are for the employer admin code only.
  $("export").hidden = device.role === "employer_tablet";
  if (device.role === "employer") {
    $("tablets").hidden = false;
    $("tablet-add").addEventListener("submit", addTablet);
    loadTablets().catch(() => {});
  }
  $("export").addEventListener("click", exportList);
  $("qr-show").addEventListener("click", showQr);
  $("qr-close").addEventListener("click", closeQr);
  $("qr-dialog").addEventListener("close", () => $("qr-show").focus());
  $("forget").addEventListener("click", () => {
    forgetDevice(slug, device.role);
    location.reload();
  });

  window.addEventListener("online", () => {
    networkFailed = false;
    renderNet();
    refreshKeys();
    loadEntriesSoon(0);
    scheduleFlush(0, true);
    hereOnline();
  });
  window.addEventListener("offline", () => {
    renderNet();
    renderEntries();
    hereOffline();
  });
  setInterval(tick, TICK_MS);
  setInterval(() => loadEntriesSoon(0), LIST_EVERY_MS);

  connectHere();
  await Promise.all([refreshKeys(), loadEntries()]);
  renderNet();
  if (queued.length > 0) scheduleFlush(0, true);
  if (localStorage.getItem(CAMERA_PREF) === "on") toggleCamera();
  root.dataset.ready = "true";
}

function unpaired() {
  $("unpaired").hidden = false;
  const form = $("token-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = $("token-error");
    error.hidden = true;
    const record = { token: form.elements.token.value.trim(), event: slug, role: "employer",
                     label: form.elements.label.value.trim() };
    let response;
    try {
      // Only an employer's token may read a stand's list.
      response = await fetch(`/api/v1/events/${encodeURIComponent(slug)}/interests?q=-`, {
        headers: { Authorization: `Bearer ${record.token}` },
        cache: "no-store",
      });
    } catch {
      error.textContent = tr("tablet.export.offline");
      error.hidden = false;
      return;
    }
    if (!response.ok) {
      error.textContent = tr("tablet.token.bad");
      error.hidden = false;
      form.elements.token.focus();
      return;
    }
    device = saveDevice(record);
    start();
  });
}

device = loadDevice(slug, ["employer", "employer_tablet"]);
if (device) start();
else unpaired();
