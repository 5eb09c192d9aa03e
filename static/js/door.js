// The door scanner page: /door/<event>.
//
// Online, each scan goes straight to POST /checkins and the server's answer is shown. When
// the network is down (navigator.onLine is false, or a request fails or times out) the
// badge is checked here with the downloaded public keys and revocation list, the scan is
// queued in IndexedDB with its original time and a random nonce, and the queue is sent in
// order once the network is back. While anything is queued, new scans join the end of the
// queue, so the server always sees this door's scans in the order they were made.

import { BadgeVerifier } from "./badge-verify.js";
import { BadgePanel } from "./door-badge.js";
import { DeviceApi, Offline, clockFor, pageTexts, translator } from "./device.js";
import { OfflineStore, flush } from "./offline-queue.js";
import { forgetDevice, loadDevice, saveDevice } from "./pair.js";
import { Scanner } from "./scanner.js";

const root = document.getElementById("door");
const slug = root.dataset.event;
const lang = root.dataset.lang || "nl";
const texts = pageTexts(root);
const tr = translator(texts);
const clock = clockFor(lang);
const $ = (id) => document.getElementById(id);

const KEYS_EVERY_MS = 60_000;
const STATS_EVERY_MS = 30_000;
const TICK_MS = 5_000;
const RED = new Set(["invalid", "unknown", "wrong_event", "revoked", "not_open"]);

// ---- state ------------------------------------------------------------------------------

let device = null;
let store = null;
let client = null; // DeviceApi (device.js), once paired
const verifier = new BadgeVerifier();
let pending = 0; // scans in the queue
let pendingOk = 0; // of which this device let in
let syncProblems = 0;
let flushing = null;
let lastKeys = 0;
let lastCheckin = null; // {registrationId, name, queueId?}
let stats = null;
let chain = Promise.resolve();
let authTrouble = null; // the auth rule's last verdict (device.js): shown in the status bar
let badgePanel = null; // the desk's "badge ready" panel (door-badge.js)

function online() {
  return client.online();
}

// ---- API --------------------------------------------------------------------------------

function api(method, path, body) {
  return client.json(method, path, body);
}

function scanBody(item) {
  const body = { scanned_at: item.scanned_at, nonce: item.nonce };
  if (item.token !== undefined) body.token = item.token;
  if (item.registration_id !== undefined) body.registration_id = item.registration_id;
  if (item.door) body.door = item.door;
  return body;
}

// ---- feedback: colour, text, sound, vibration ---------------------------------------------

let audio = null;
const TONES = {
  ok: [[880, 0.12]],
  warn: [[560, 0.12], [0, 0.07], [560, 0.12]],
  error: [[196, 0.5]],
};

function beep(kind) {
  try {
    audio = audio || new AudioContext();
    if (audio.state === "suspended") audio.resume();
    let at = audio.currentTime + 0.01;
    for (const [hz, seconds] of TONES[kind]) {
      if (hz) {
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.type = kind === "error" ? "square" : "sine";
        osc.frequency.value = hz;
        gain.gain.setValueAtTime(0.25, at);
        gain.gain.exponentialRampToValueAtTime(0.001, at + seconds);
        osc.connect(gain).connect(audio.destination);
        osc.start(at);
        osc.stop(at + seconds);
      }
      at += seconds;
    }
  } catch { /* no sound: the colour and text still show */ }
  if (navigator.vibrate) {
    navigator.vibrate({ ok: 80, warn: [80, 60, 80], error: [300, 100, 300] }[kind]);
  }
}

function show(kind, status, title, detail) {
  const result = $("result");
  result.className = `result result--${kind}`;
  result.dataset.status = status;
  $("result-title").textContent = title;
  $("result-detail").textContent = detail || "";
  if (kind !== "idle") beep(kind);
}

function showServer(data) {
  const name = data.registration && data.registration.name;
  if (data.status === "ok") {
    show("ok", "ok", name ? tr("door.r.ok", { name }) : tr("door.r.ok_noname"), "");
  } else if (data.status === "already_checked_in") {
    show("warn", "already_checked_in",
      name ? tr("door.r.already", { name }) : tr("door.r.already_noname"),
      data.first_checkin_at
        ? tr("door.r.already_detail", { time: clock(data.first_checkin_at),
                                        door: data.first_door || "?" })
        : "");
  } else if (RED.has(data.status)) {
    show("error", data.status, tr(`door.r.${data.status}`), tr("door.r.help"));
  } else {
    show("error", "error", tr("door.r.error", { detail: data.detail || data.status }), "");
  }
}

function showLocal(status, seen) {
  const queued = tr("door.r.queued");
  if (status === "ok") {
    show("ok", "ok", tr("door.r.ok_offline"), queued);
  } else if (status === "already") {
    const title = seen && seen.name ? tr("door.r.already", { name: seen.name })
      : tr("door.r.already_noname");
    const detail = seen && !seen.local && seen.door
      ? tr("door.r.already_detail", { time: clock(seen.at), door: seen.door })
      : tr("door.r.already_local", { time: seen ? clock(seen.at) : "" });
    show("warn", "already_checked_in", title, `${detail} ${queued}`);
  } else if (status === "nokeys") {
    show("warn", "nokeys", tr("door.r.nokeys"), queued);
  } else {
    show("error", status, tr(`door.r.${status}`), tr("door.r.help"));
  }
}

// ---- status bar and counters ---------------------------------------------------------------

function renderNet() {
  const net = $("net");
  if (!net) return;
  const isOnline = online();
  net.className = `net ${isOnline ? "net--online" : "net--offline"}`;
  net.dataset.online = String(isOnline);
  $("net-state").textContent = isOnline ? tr("door.online") : tr("door.offline");
  const extra = $("net-pending");
  net.dataset.pending = String(pending);
  if (pending > 0) {
    extra.textContent = (isOnline && flushing ? `${tr("door.syncing")} ` : "")
      + tr("door.pending", { n: pending });
  } else if (syncProblems > 0) {
    extra.textContent = tr("door.sync_problems", { n: syncProblems });
  } else {
    extra.textContent = "";
  }
  // The auth rule's message (device.js) stays until an answer shows the token works again.
  net.dataset.auth = authTrouble || "";
  if (authTrouble) {
    extra.textContent = [extra.textContent, tr(`door.${authTrouble}`)].filter(Boolean).join(" ");
  }
  extra.hidden = extra.textContent === "";
}

function renderCounts() {
  const byDoor = (stats && stats.by_door) || {};
  $("count-door").textContent = String((byDoor[device.label] || 0) + pendingOk);
  $("count-total").textContent = String(((stats && stats.checked_in) || 0) + pendingOk);
}

async function refreshPending() {
  const items = await store.list();
  pending = items.length;
  pendingOk = items.filter((item) => item.local_status === "ok").length;
  renderNet();
  renderCounts();
}

let statsTimer = null;
function refreshStatsSoon(delay = 800) {
  if (statsTimer) return;
  statsTimer = setTimeout(async () => {
    statsTimer = null;
    await refreshStats();
  }, delay);
}

async function refreshStats() {
  if (!navigator.onLine) return;
  try {
    const r = await api("GET", "/stats");
    if (r.status === 200) {
      stats = r.data;
      renderCounts();
    }
  } catch { /* offline */ }
}

// ---- keys for offline checks -------------------------------------------------------------

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
    ? tr("door.keys_time", { time: clock(at) }) : tr("door.keys_missing");
}

// ---- scanning -------------------------------------------------------------------------------

function newScan(fields) {
  return {
    ...fields,
    door: device.label || undefined,
    scanned_at: new Date().toISOString(),
    nonce: crypto.randomUUID(),
  };
}

async function remember(data) {
  const reg = data.registration;
  if (!reg || (data.status !== "ok" && data.status !== "already_checked_in")) return;
  await store.putSeen(reg.id, {
    at: data.first_checkin_at, door: data.first_door, name: reg.name, local: false,
  });
}

/** One scan (token or registration id): online if we can, else locally and queued. */
async function submit(item) {
  if (online() && pending === 0) {
    try {
      const r = await api("POST", "/checkins", scanBody(item));
      if (r.status === 200) {
        await remember(r.data);
        showServer(r.data);
        lastCheckin = r.data.status === "ok" && r.data.registration
          ? { registrationId: r.data.registration.id, name: r.data.registration.name } : null;
        $("undo").disabled = lastCheckin === null;
        refreshStatsSoon();
        return r.data;
      }
      if (r.auth) {
        // Not queued: the guard must see that this scan did not count.
        show("error", "error", tr(`door.${r.auth}`), "");
        return null;
      }
      if (r.status < 500 && r.status !== 429) {
        show("error", "error", tr("door.r.error", { detail: (r.data && r.data.detail) || r.status }), "");
        return null;
      }
      // 5xx or rate limited: keep the scan, answer here.
    } catch (err) {
      if (!(err instanceof Offline)) throw err;
    }
  }
  await answerLocally(item);
  scheduleFlush(200);
  return null;
}

async function answerLocally(item) {
  let status;
  let registrationId = null;
  if (item.registration_id !== undefined) {
    status = "ok";
    registrationId = item.registration_id;
  } else {
    const verdict = await verifier.verify(item.token);
    status = verdict.status;
    registrationId = verdict.claim ? verdict.claim.registrationId : null;
  }
  let seen = null;
  if (status === "ok") {
    seen = await store.getSeen(registrationId);
    if (seen) status = "already";
  }
  item.local_status = status;
  const queueId = await store.addScan(item, status === "ok"
    ? { registrationId, record: { at: item.scanned_at, door: device.label, local: true } }
    : null);
  lastCheckin = status === "ok" ? { registrationId, name: null, queueId } : null;
  $("undo").disabled = lastCheckin === null;
  await refreshPending();
  showLocal(status, seen);
}

function onScan(text) {
  chain = chain.then(() => submit(newScan({ token: text }))).catch((err) => {
    console.error(err);
    show("error", "error", tr("door.r.error", { detail: String(err) }), "");
  });
  return chain;
}

// ---- sending the queue -------------------------------------------------------------------------

async function sendQueued(item) {
  let r;
  try {
    r = await api("POST", "/checkins", scanBody(item));
  } catch {
    return "retry";
  }
  if (r.status === 200) {
    await remember(r.data);
    if (r.data.status !== "ok" && item.local_status === "ok") syncProblems += 1;
    return "done";
  }
  if (r.auth || r.status === 429 || r.status >= 500) return "retry";
  syncProblems += 1; // refused for good (e.g. a clock far off): never blocks the queue
  return "drop";
}

function doFlush() {
  if (flushing) return flushing;
  if (!navigator.onLine || pending === 0) return Promise.resolve();
  flushing = (async () => {
    renderNet();
    try {
      const outcome = await flush(store, sendQueued, () => refreshPending());
      await refreshPending();
      if (outcome.complete && outcome.sent > 0) refreshStatsSoon(0);
    } finally {
      flushing = null;
      renderNet();
    }
    if (pending > 0 && online()) scheduleFlush(1000);
  })();
  return flushing;
}

let flushTimer = null;
function scheduleFlush(delay) {
  if (flushTimer) return;
  // Not on the scan chain: new scans are answered at once (they join the queue meanwhile).
  flushTimer = setTimeout(() => {
    flushTimer = null;
    doFlush().catch(console.error);
  }, delay);
}

// ---- undo, search, walk-ins -----------------------------------------------------------------

async function undo() {
  const last = lastCheckin;
  if (!last) return;
  $("undo").disabled = true;
  const label = last.name || `#${last.registrationId}`;
  if (last.queueId !== undefined && await store.get(last.queueId)) {
    await store.remove(last.queueId);
    await store.deleteSeen(last.registrationId);
    await refreshPending();
    lastCheckin = null;
    show("idle", "undone", tr("door.undone", { name: label }), "");
    return;
  }
  try {
    const r = await api("POST", "/checkins/undo", { registration_id: last.registrationId });
    if (r.status === 200) {
      await store.deleteSeen(last.registrationId);
      lastCheckin = null;
      show("idle", "undone", tr("door.undone", { name: label }), "");
      refreshStatsSoon(0);
      if ($("search-results").children.length) $("search-form").requestSubmit();
      return;
    }
    show("error", "error", tr("door.undo_failed", { detail: (r.data && r.data.detail) || r.status }), "");
  } catch {
    show("error", "error", tr("door.undo_failed", { detail: tr("door.search.offline") }), "");
  }
  $("undo").disabled = false;
}

async function search(event) {
  event.preventDefault();
  const q = $("search-input").value.trim();
  const message = $("search-message");
  const list = $("search-results");
  if (q.length < 2) return;
  if (/^EO1\./.test(q)) {
    // A hand scanner typed a badge into the search field: that is a scan, not a name.
    $("search-input").value = "";
    onScan(q);
    return;
  }
  list.replaceChildren();
  let r;
  try {
    if (!navigator.onLine) throw new Offline();
    r = await api("GET", `/visitors?q=${encodeURIComponent(q)}`);
  } catch {
    message.textContent = tr("door.search.offline");
    return;
  }
  if (r.status !== 200) {
    message.textContent = (r.data && r.data.detail) || String(r.status);
    return;
  }
  message.textContent = r.data.length ? "" : tr("door.search.none");
  for (const visitor of r.data) list.append(visitorRow(visitor));
}

function visitorRow(visitor) {
  const li = document.createElement("li");
  li.className = "search-result";
  const name = document.createElement("span");
  name.className = "search-name";
  name.textContent = visitor.name;
  li.append(name);
  const info = document.createElement("span");
  info.className = "hint";
  if (visitor.checked_in_at) {
    info.textContent = tr("door.search.in", { time: clock(visitor.checked_in_at),
                                              door: visitor.checked_in_door || "?" });
  } else if (visitor.status === "waiting_list") {
    info.textContent = tr("door.search.waiting_list");
  }
  li.append(info);
  if (visitor.status === "registered") {
    // A lost badge: a new one (the old one stops working), ready to print at once.
    const again = document.createElement("button");
    again.type = "button";
    again.className = "button secondary";
    again.textContent = tr("door.badge.reissue");
    again.setAttribute("aria-label", tr("door.badge.reissue_name", { name: visitor.name }));
    again.addEventListener("click", async () => {
      again.disabled = true;
      try {
        const r = await api("POST", `/registrations/${visitor.id}/reissue`);
        if (r.status === 200) {
          const first = visitor.name.split(" ")[0];
          await badgePanel.show(visitor.id, first, r.data.badge_url,
                                tr("door.badge.reissued", { name: first }));
          $("badge-heading").focus();
        }
      } catch { /* offline: the button can be tapped again */ }
      again.disabled = false;
    });
    li.append(again);
  }
  if (!visitor.checked_in_at && visitor.status === "registered") {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = tr("door.search.checkin");
    button.setAttribute("aria-label", tr("door.search.checkin_name", { name: visitor.name }));
    button.addEventListener("click", () => {
      button.disabled = true;
      chain = chain.then(async () => {
        const data = await submit(newScan({ registration_id: visitor.id }));
        if (data && data.first_checkin_at) {
          info.textContent = tr("door.search.in", { time: clock(data.first_checkin_at),
                                                    door: data.first_door || "?" });
          button.remove();
        } else {
          button.disabled = false;
        }
        $("code-input").focus();
      }).catch(console.error);
    });
    li.append(button);
  }
  return li;
}

function clearWalkinErrors(form) {
  for (const el of form.querySelectorAll(".field-error")) {
    el.hidden = true;
    el.textContent = "";
  }
  for (const el of form.querySelectorAll("[aria-invalid]")) {
    el.removeAttribute("aria-invalid");
    el.removeAttribute("aria-describedby");
  }
}

async function walkIn(event) {
  event.preventDefault();
  const form = event.target;
  const message = $("walkin-message");
  clearWalkinErrors(form);
  const value = (name) => form.elements[name].value.trim();
  const checked = (name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)]
    .map((input) => input.value);
  const body = {
    name: value("name"),
    // E-mail is optional at the desk: without it no mail is sent, the badge is the key.
    email: value("email") || null,
    phone: value("phone") || null,
    sectors: checked("sectors"),
    competencies: checked("competencies"),
    postcode: value("postcode") || null,
    language: form.elements.language.value,
    consent_terms: form.elements.consent_terms.checked,
    consent_share_profile: form.elements.consent_share_profile.checked,
  };
  const fail = (text) => {
    message.textContent = text;
    message.hidden = false;
  };
  let r;
  try {
    if (!navigator.onLine) throw new Offline();
    r = await api("POST", "/walkins", body);
  } catch {
    fail(tr("door.walkin.offline"));
    return;
  }
  if (r.status === 201) {
    const first = body.name.split(" ")[0];
    form.reset();
    $("walkin").open = false;
    if (r.data.status === "registered") {
      await remember(r.data.checkin);
      showServer(r.data.checkin);
      if (r.data.checkin.status === "ok" && r.data.checkin.registration) {
        lastCheckin = { registrationId: r.data.checkin.registration.id,
                        name: r.data.checkin.registration.name };
        $("undo").disabled = false;
      }
      refreshStatsSoon();
      await badgePanel.show(r.data.registration_id, first, r.data.badge_url);
    } else {
      badgePanel.hide();
      show("warn", "waiting_list", tr("door.walkin.waiting_list", { name: first }), "");
    }
    $("code-input").focus();
    return;
  }
  if (r.status === 409 && r.data && r.data.error === "already_registered") {
    fail(tr("door.walkin.already"));
    return;
  }
  const fields = (r.data && r.data.fields) || {};
  let firstBad = null;
  for (const [field, text] of Object.entries(fields)) {
    const input = form.elements[field];
    const slot = $(`walkin-${field}-error`);
    const shown = (texts._errors && texts._errors[text]) || text;
    if (input && slot) {
      slot.textContent = shown;
      slot.hidden = false;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", slot.id);
      firstBad = firstBad || input;
    }
  }
  fail(firstBad ? Object.values(fields).map((t) => (texts._errors || {})[t] || t).join(" ")
    : tr("door.r.error", { detail: (r.data && r.data.detail) || r.status }));
  if (firstBad) firstBad.focus();
}

// ---- camera --------------------------------------------------------------------------------

let scanner = null;

async function toggleCamera() {
  const button = $("camera-toggle");
  $("camera-error").hidden = true;
  if (scanner.cameraOn) {
    scanner.stopCamera();
    localStorage.setItem("eventops.camera", "off");
    return;
  }
  button.disabled = true;
  try {
    await scanner.startCamera();
    localStorage.setItem("eventops.camera", "on");
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

// ---- start -----------------------------------------------------------------------------------

/** The auth rule's verdict on the last answer (device.js): kept in the status bar. */
function authChanged(problem) {
  if (problem === authTrouble) return;
  authTrouble = problem;
  renderNet();
}

function tick() {
  if (!navigator.onLine) return;
  if (pending > 0) {
    scheduleFlush(0);
  } else if (!client.online()) {
    refreshStats();
  }
  if (Date.now() - lastKeys > KEYS_EVERY_MS) refreshKeys();
}

async function start() {
  $("unpaired").hidden = true;
  $("door-app").hidden = false;
  $("device-label").textContent = tr("door.device", { label: device.label || "?" });
  client = new DeviceApi({ slug, token: device.token, onNetwork: renderNet, onAuth: authChanged });
  store = await OfflineStore.open(`eventops-door-${slug}`);
  const saved = await store.getMeta("keys");
  if (saved && saved.data) {
    await verifier.load(saved.data);
    renderKeys(saved.at);
  } else {
    renderKeys(null);
  }
  await refreshPending();
  renderNet();

  scanner = new Scanner({
    video: $("camera-video"),
    form: $("code-form"),
    onScan,
    onCameraChange: cameraChanged,
  });
  $("camera-toggle").addEventListener("click", toggleCamera);
  $("undo").addEventListener("click", () => {
    chain = chain.then(undo).catch(console.error);
  });
  $("search-form").addEventListener("submit", search);
  $("walkin-form").addEventListener("submit", walkIn);
  badgePanel = new BadgePanel({ api, tr, $ });
  $("forget").addEventListener("click", () => {
    forgetDevice(slug, device.role);
    location.reload();
  });

  window.addEventListener("online", () => {
    client.networkBack();
    renderNet();
    refreshKeys();
    scheduleFlush(0);
    refreshStatsSoon(0);
  });
  window.addEventListener("offline", renderNet);
  setInterval(tick, TICK_MS);
  setInterval(() => refreshStatsSoon(0), STATS_EVERY_MS);

  await refreshKeys();
  await refreshStats();
  if (pending > 0) scheduleFlush(0);
  if (localStorage.getItem("eventops.camera") === "on") toggleCamera();
  root.dataset.ready = "true";
}

function unpaired() {
  $("unpaired").hidden = false;
  const form = $("token-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = $("token-error");
    error.hidden = true;
    const record = { token: form.elements.token.value.trim(), event: slug, role: "door",
                     label: form.elements.door.value.trim() };
    let response;
    try {
      response = await fetch(`/api/v1/events/${encodeURIComponent(slug)}/stats`, {
        headers: { Authorization: `Bearer ${record.token}` },
      });
    } catch {
      error.textContent = tr("door.search.offline");
      error.hidden = false;
      return;
    }
    if (!response.ok) {
      error.textContent = tr("door.unauthorized");
      error.hidden = false;
      return;
    }
    device = saveDevice(record);
    start();
  });
}

device = loadDevice(slug, ["door"]);
if (device) start();
else unpaired();
