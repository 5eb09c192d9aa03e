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
//
// The page's script is split by concern (all ES modules, loaded by this one):
//   stand-context.js  page texts, shared state, API calls (device.js), status bar, result line
//   stand-outcome.js  a scan opens the card; a tap saves the outcome; undo
//   stand-card.js     drawing the visitor's card and the optional details
//   stand-queue.js    the offline queue (one item per visitor), sending it, badge keys
//   stand-list.js     today's list of entries and its search
//   stand-here.js     who is here now (the stand's websocket)
//   stand-tablets.js  the employer admin's tools: scan-only tablets, export, stand QR
// This file wires them to the page: camera, buttons, timers, pairing.

import { DeviceApi } from "./device.js";
import { OfflineStore } from "./offline-queue.js";
import { forgetDevice, loadDevice, saveDevice } from "./pair.js";
import { Scanner } from "./scanner.js";
import {
  $,
  api,
  authChanged,
  renderNet,
  root,
  show,
  slug,
  state,
  tr,
  vacancies,
  verifier,
} from "./stand-context.js";
import { readDetails } from "./stand-card.js";
import { connectHere, hereOffline, hereOnline } from "./stand-here.js";
import {
  clearSearch,
  loadEntries,
  loadEntriesSoon,
  renderEntries,
  searchList,
  setEntries,
} from "./stand-list.js";
import { failed, onScan, save, undo } from "./stand-outcome.js";
import { refreshKeys, refreshPending, renderKeys, scheduleFlush } from "./stand-queue.js";
import { addTablet, closeQr, exportList, loadTablets, showQr } from "./stand-tablets.js";

const KEYS_EVERY_MS = 5 * 60_000;
const LIST_EVERY_MS = 30_000;
const TICK_MS = 10_000;

// ---- camera -------------------------------------------------------------------------

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

// ---- start --------------------------------------------------------------------------

function onChoose(level) {
  if (!state.current) return;
  const c = state.current;
  state.chain = state.chain.then(() => save(c, { ...readDetails(), level }, "level"))
    .catch(failed);
}

function onDetails(event) {
  event.preventDefault();
  if (!state.current) return;
  const c = state.current;
  if (!c.values || !c.values.level) {
    // Nothing saved yet: the outcome tap saves the details too.
    show("warn", "choose_level", tr("tablet.r.choose_level"), tr("tablet.r.choose_level_hint"));
    return;
  }
  state.chain = state.chain
    .then(() => save(c, { ...readDetails(), level: c.values.level }, "details"))
    .catch(failed);
}

function tick() {
  if (!navigator.onLine) return;
  if (state.queued.length > 0) scheduleFlush(0);
  if (Date.now() - state.lastKeys > KEYS_EVERY_MS) refreshKeys();
}

async function start() {
  $("unpaired").hidden = true;
  $("tablet-app").hidden = false;
  $("device-label").textContent = tr("tablet.device", { label: state.device.label || "?" });
  state.client = new DeviceApi({ slug, token: state.device.token, onNetwork: renderNet,
                                onAuth: authChanged });
  state.store = await OfflineStore.open(`eventops-stand-${slug}`);
  const saved = await state.store.getMeta("keys");
  if (saved && saved.data) {
    await verifier.load(saved.data);
    renderKeys(saved.at);
  } else {
    renderKeys(null);
  }
  for (const [id, title] of (await state.store.getMeta("vacancies")) || []) {
    vacancies.set(id, title);
  }
  const list = await state.store.getMeta("entries");
  if (list && Array.isArray(list.list)) {
    setEntries(list.list);
    state.entriesAt = Date.parse(list.at) || 0;
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
    state.chain = state.chain.then(undo).catch(failed);
  });
  $("list-search").addEventListener("submit", searchList);
  $("list-q").addEventListener("input", clearSearch);
  // The export and the stand's tablets are for the employer admin code only.
  $("export").hidden = state.device.role === "employer_tablet";
  if (state.device.role === "employer") {
    $("tablets").hidden = false;
    $("tablet-add").addEventListener("submit", addTablet);
    loadTablets().catch(() => {});
  }
  $("export").addEventListener("click", exportList);
  $("qr-show").addEventListener("click", showQr);
  $("qr-close").addEventListener("click", closeQr);
  $("qr-dialog").addEventListener("close", () => $("qr-show").focus());
  $("forget").addEventListener("click", () => {
    forgetDevice(slug, state.device.role);
    location.reload();
  });

  window.addEventListener("online", () => {
    state.client.networkBack();
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
  if (state.queued.length > 0) scheduleFlush(0, true);
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
    state.device = saveDevice(record);
    start();
  });
}

state.device = loadDevice(slug, ["employer", "employer_tablet"]);
if (state.device) start();
else unpaired();
