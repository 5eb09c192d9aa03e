// The print station: /print/<event>, on a paired device (role print_station).
//
// It listens on WS /ws/events/<event>/print for its queue (oldest job first) and prints the
// jobs one at a time, in that order: fetch the job's label page (the badge's secret link),
// take over its label, switch to the format's stylesheet (its @page size) and call
// window.print(). Started with Chromium's --kiosk-printing flag the browser prints to the
// default printer without asking. Each job is then reported done, or failed with the
// reason (label not loaded, print refused), and can be printed again.
//
// The page keeps nothing about visitors: the queue lives on the server, the label is in
// the page only while it prints.

import { clockFor, pageTexts, translator } from "./device.js";
import { loadDevice } from "./pair.js";

const root = document.getElementById("station");
const slug = root.dataset.event;
const lang = root.dataset.lang || "nl";
const tr = translator(pageTexts(root));
const clock = clockFor(lang);
const $ = (id) => document.getElementById(id);
const base = `/api/v1/events/${encodeURIComponent(slug)}`;

let device = null;
let paused = false;
let busy = false;
let queue = [];
const reported = new Set(); // jobs this page finished: never printed twice
let retryMs = 500;

async function call(method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: { Authorization: `Bearer ${device.token}`,
               ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: "no-store",
  });
  if (response.status === 401) $("net").textContent = tr("print.unauthorized");
  return response;
}

function jobLine(job) {
  return tr("print.job", { name: job.first_name, format: job.format,
                           time: clock(job.printed_at || job.created_at) });
}

function render(data) {
  queue = data.queued;
  $("queue-count").textContent = String(queue.length);
  $("queue-none").hidden = queue.length > 0;
  $("queue").replaceChildren(...queue.map((job) => {
    const li = document.createElement("li");
    li.dataset.job = String(job.id);
    li.textContent = `${jobLine(job)} – ${tr("print.status.queued")}`;
    return li;
  }));
  $("recent-none").hidden = data.recent.length > 0;
  $("recent").replaceChildren(...data.recent.map((job) => {
    const li = document.createElement("li");
    li.dataset.job = String(job.id);
    const text = document.createElement("span");
    text.textContent = jobLine(job);
    const status = document.createElement("span");
    status.className = `job-status job-${job.status}`;
    status.textContent = tr(`print.status.${job.status}`) + (job.error ? `: ${job.error}` : "");
    li.append(text, status);
    if (job.status === "failed") {
      const again = document.createElement("button");
      again.type = "button";
      again.className = "button secondary";
      again.textContent = tr("print.retry");
      again.setAttribute("aria-label", tr("print.retry_name", { name: job.first_name }));
      again.addEventListener("click", async () => {
        again.disabled = true;
        reported.delete(job.id);
        await call("POST", `/print/jobs/${job.id}/retry`);
      });
      li.append(again);
    }
    return li;
  }));
  printNext();
}

function useFormat(format) {
  return new Promise((resolve) => {
    const link = $("label-css");
    const href = `/static/css/label-${format}.css`;
    if (link.getAttribute("href") === href) {
      resolve();
      return;
    }
    link.addEventListener("load", () => resolve(), { once: true });
    link.addEventListener("error", () => resolve(), { once: true });
    link.setAttribute("href", href);
  });
}

async function printOne(job) {
  const area = $("print-area");
  const response = await fetch(job.label_url, { cache: "no-store" });
  if (!response.ok) throw new Error(tr("print.error.label", { status: response.status }));
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const label = page.querySelector("article.label");
  if (!label) throw new Error(tr("print.error.label", { status: "?" }));
  await useFormat(job.format);
  area.replaceChildren(document.importNode(label, true));
  area.dataset.job = String(job.id);
  window.print(); // with --kiosk-printing: straight to the default printer
  area.replaceChildren();
  delete area.dataset.job;
}

async function printNext() {
  if (busy || paused) return;
  const job = queue.find((j) => !reported.has(j.id));
  if (!job) {
    $("now-printing").textContent = "";
    return;
  }
  busy = true;
  reported.add(job.id);
  $("now-printing").textContent = tr("print.printing", { name: job.first_name });
  let outcome = { ok: true };
  try {
    await printOne(job);
  } catch (err) {
    outcome = { ok: false, error: String(err.message || err) };
  }
  try {
    await call("POST", `/print/jobs/${job.id}/done`, outcome);
  } catch {
    reported.delete(job.id); // tell the server when the network is back
  }
  busy = false;
  printNext();
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(
    `${scheme}://${location.host}/ws/events/${encodeURIComponent(slug)}/print`
    + `?token=${encodeURIComponent(device.token)}`);
  socket.addEventListener("open", () => {
    retryMs = 500;
    $("net").className = "net net--online";
    $("net").textContent = tr("print.live");
  });
  socket.addEventListener("message", (message) => {
    const data = JSON.parse(message.data);
    if (data.type === "jobs") {
      render(data);
      root.dataset.ready = "true";
    }
  });
  socket.addEventListener("close", (event) => {
    $("net").className = "net net--offline";
    $("net").textContent = event.code === 4403 || event.code === 4401
      ? tr("print.unauthorized") : tr("print.offline");
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 5000);
  });
}

function start() {
  $("station-app").hidden = false;
  $("device-label").textContent = tr("print.device", { label: device.label || "?" });
  $("pause").addEventListener("click", () => {
    paused = !paused;
    const button = $("pause");
    button.setAttribute("aria-pressed", String(paused));
    button.textContent = paused ? button.dataset.on : button.dataset.off;
    $("paused").hidden = !paused;
    if (!paused) printNext();
  });
  connect();
}

device = loadDevice(slug, ["print_station"]);
if (device) start();
else $("unpaired").hidden = false;
