// The self-service kiosk: /kiosk/<event>, on a paired tablet (role kiosk).
//
// A visitor either shows the badge QR on their phone to the camera (checked in, badge
// printed at this kiosk's print station) or signs up as a walk-in with the big form
// (checked in, badge printed). The kiosk never leaves its page, and it forgets the visitor:
// nothing about them is written to localStorage, sessionStorage or IndexedDB (only the
// device's own pairing and its print station choice are kept), and after `idle-seconds`
// without a touch the screen, the form and the camera are cleared.

import { DeviceApi, Offline, pageTexts, translator } from "./device.js";
import { loadDevice } from "./pair.js";
import { Scanner } from "./scanner.js";

const root = document.getElementById("kiosk");
const slug = root.dataset.event;
const tr = translator(pageTexts(root));
const idleMs = Number(root.dataset.idleSeconds || "60") * 1000;
const $ = (id) => document.getElementById(id);
const SETUP_KEY = "eventops.kiosk"; // {station, format}: device settings, no visitor data

let device = null;
let client = null;
let scanner = null;
let idleTimer = null;
let busy = false;

function setup() {
  try {
    return JSON.parse(localStorage.getItem(SETUP_KEY) || "{}");
  } catch {
    return {};
  }
}

function screen(name) {
  for (const id of ["start", "scan", "form", "done"]) $(`screen-${id}`).hidden = id !== name;
  root.dataset.screen = name;
  const heading = $(`screen-${name}`).querySelector("h2");
  if (name !== "start" && heading) heading.focus();
}

function message(text) {
  $("kiosk-message").textContent = text || "";
  $("kiosk-message").hidden = !text;
}

/** Back to the start: every trace of the last visitor off the screen. */
function clearAll() {
  if (scanner) scanner.stopCamera();
  const form = $("kiosk-form");
  form.reset();
  for (const el of form.querySelectorAll(".field-error")) {
    el.textContent = "";
    el.hidden = true;
  }
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  for (const el of form.querySelectorAll("details")) el.open = false;
  $("form-errors").hidden = true;
  $("form-error-list").replaceChildren();
  $("done-heading").textContent = "";
  $("done-text").textContent = "";
  message("");
  busy = false;
  screen("start");
}

function touched() {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    clearAll();
    root.dataset.cleared = String(Number(root.dataset.cleared || "0") + 1);
  }, idleMs);
}

function done(first, key) {
  $("done-heading").textContent = tr("kiosk.done.heading", { name: first });
  $("done-text").textContent = tr(key);
  screen("done");
}

function printChoice() {
  const { station, format } = setup();
  return station ? { station: Number(station), format: format || undefined } : {};
}

async function post(path, body) {
  try {
    return await client.json("POST", path, body);
  } catch (err) {
    if (err instanceof Offline) message(tr("kiosk.offline"));
    return null;
  }
}

async function onScan(text) {
  if (busy || root.dataset.screen !== "scan") return;
  busy = true;
  touched();
  const r = await post("/kiosk/checkin", { token: text, ...printChoice() });
  busy = false;
  if (!r) return;
  if (r.status !== 200) {
    message(tr("kiosk.problem"));
    return;
  }
  const data = r.data;
  scanner.stopCamera();
  if (data.status === "ok" || data.status === "already_checked_in") {
    const printed = data.print_job ? (data.status === "ok" ? "kiosk.done.printed"
      : "kiosk.done.again") : "kiosk.done.no_print";
    message("");
    done(data.first_name, printed);
  } else {
    message(tr("kiosk.bad_badge"));
    screen("start");
  }
}

async function startScan() {
  message("");
  screen("scan");
  $("camera-error").hidden = true;
  try {
    await scanner.startCamera();
  } catch {
    $("camera-error").hidden = false;
  }
}

async function submitForm(event) {
  event.preventDefault();
  if (busy) return;
  const form = event.target;
  const checked = (name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)]
    .map((input) => input.value);
  const value = (name) => form.elements[name].value.trim();
  const body = {
    name: value("name"),
    phone: value("phone") || null,
    email: value("email") || null,
    sectors: checked("sectors"),
    competencies: checked("competencies"),
    consent_terms: form.elements.consent_terms.checked,
    consent_share_profile: form.elements.consent_share_profile.checked,
    language: document.documentElement.lang === "en" ? "en" : "nl",
    ...printChoice(),
  };
  busy = true;
  const r = await post("/kiosk/walkins", body);
  busy = false;
  if (!r) return;
  if (r.status === 201) {
    const first = r.data.first_name || body.name.split(" ")[0];
    if (r.data.status === "waiting_list") {
      clearAll();
      message(tr("kiosk.full"));
      return;
    }
    form.reset();
    done(first, r.data.status === "check_email" ? "kiosk.done.by_mail"
      : (r.data.print_job ? "kiosk.done.printed" : "kiosk.done.no_print"));
    return;
  }
  const fields = (r.data && r.data.fields) || {};
  const texts = pageTexts(root)._errors || {};
  const list = $("form-error-list");
  list.replaceChildren();
  let first = null;
  for (const [field, text] of Object.entries(fields)) {
    const slot = $(`k-${field}-error`);
    const input = form.elements[field];
    const shown = texts[text] || text;
    if (slot) {
      slot.textContent = shown;
      slot.hidden = false;
    }
    if (input && input.setAttribute) {
      input.setAttribute("aria-invalid", "true");
      if (slot) input.setAttribute("aria-describedby", slot.id);
      first = first || input;
    }
    const li = document.createElement("li");
    li.textContent = shown;
    list.append(li);
  }
  if (!Object.keys(fields).length) {
    message(r.status === 409 ? tr("kiosk.done.by_mail") : tr("kiosk.problem"));
    return;
  }
  $("form-errors").hidden = false;
  if (first) first.focus();
}

async function loadSetup() {
  let r;
  try {
    r = await client.json("GET", `/print/stations?lang=${document.documentElement.lang}`);
  } catch {
    return;
  }
  if (r.status !== 200) return;
  const saved = setup();
  const fill = (select, options, chosen) => select.replaceChildren(...options.map(([v, label]) => {
    const option = document.createElement("option");
    option.value = v;
    option.textContent = label;
    option.selected = v === chosen;
    return option;
  }));
  fill($("setup-station"), [["", tr("kiosk.setup.none")],
    ...r.data.stations.map((s) => [String(s.id), s.label])], String(saved.station || ""));
  fill($("setup-format"), r.data.formats.map((f) => [f.code, f.name]),
    saved.format || r.data.default_format);
}

function start() {
  $("kiosk-app").hidden = false;
  $("kiosk-device").textContent = tr("kiosk.device", { label: device.label || "?" });
  client = new DeviceApi({ slug, token: device.token, onAuth: (problem) => {
    if (problem) message(tr("kiosk.unauthorized"));
  } });
  scanner = new Scanner({ video: $("camera-video"), onScan, wedge: true });
  $("go-scan").addEventListener("click", startScan);
  $("go-form").addEventListener("click", () => {
    message("");
    screen("form");
  });
  for (const back of document.querySelectorAll(".kiosk-back")) back.addEventListener("click", clearAll);
  $("done-close").addEventListener("click", clearAll);
  $("kiosk-form").addEventListener("submit", submitForm);
  $("setup-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const station = $("setup-station").value;
    localStorage.setItem(SETUP_KEY, JSON.stringify({
      station: station ? Number(station) : null, format: $("setup-format").value }));
    $("kiosk-setup").open = false;
  });
  for (const kind of ["pointerdown", "keydown", "input", "touchstart"]) {
    document.addEventListener(kind, touched, { capture: true, passive: true });
  }
  // The kiosk stays on its page: links elsewhere (none but the language switch) are not
  // followed, and a reload keeps nothing of the visitor anyway.
  clearAll();
  touched();
  loadSetup();
  root.dataset.ready = "true";
}

device = loadDevice(slug, ["kiosk"]);
if (device) start();
else $("unpaired").hidden = false;
