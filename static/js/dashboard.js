// The live dashboard: /dashboard/<event>, for an organiser (or door) token.
//
// Numbers and the scan feed come over the websocket (/ws/events/<event>/live), which
// reconnects with exponential backoff; arrivals per door are polled every 30 s (and counted
// up live between polls); failed scans and offline conflicts are loaded from /scans on start
// and after every reconnect, so an alert missed while disconnected still shows.

import { renderDesks } from "./dashboard-desks.js";
import { pageTexts, translator } from "./device.js";
import { authHeaders, loadDevice, saveDevice } from "./pair.js";

const root = document.getElementById("dashboard");
const slug = root.dataset.event;
const lang = root.dataset.lang || "nl";
const texts = pageTexts(root);
const locale = lang === "en" ? "en-GB" : "nl-NL";
const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";

const FEED_MAX = 50;
const BUCKET_MS = 5 * 60_000;
const CHART_BUCKETS = 36; // the last 3 hours
const CHART_MIN_BUCKETS = 12;
const ARRIVALS_EVERY_MS = 30_000;
const LATE_MS = 30_000;
const SERIES = 8; // colours in door.css: .series-0 … .series-7

const tr = translator(texts);

function clock(ms, seconds = false) {
  return new Date(ms).toLocaleTimeString(locale, {
    hour: "2-digit", minute: "2-digit", ...(seconds ? { second: "2-digit" } : {}),
    timeZone: "Europe/Amsterdam", // the event's time, whatever the device is set to
  });
}

let device = null;
let stats = null;
const arrivals = new Map(); // "door\u0000startMs" -> count
const lists = {
  feed: { items: [], keys: new Set() },
  failed: { items: [], keys: new Set() },
  conflicts: { items: [], keys: new Set() },
};

// ---- API --------------------------------------------------------------------------------

async function api(path) {
  const response = await fetch(`/api/v1/events/${encodeURIComponent(slug)}${path}`, {
    headers: authHeaders(device), cache: "no-store",
  });
  let data = null;
  try {
    data = await response.json();
  } catch { /* not JSON */ }
  return { status: response.status, data };
}

// ---- feed items -------------------------------------------------------------------------

function fromLive(item) {
  return {
    status: item.status, door: item.door || "", at: Date.parse(item.at),
    conflict: Boolean(item.conflict), late: Boolean(item.late),
  };
}

function fromLog(row) {
  const at = Date.parse(row.scanned_at);
  return {
    status: row.status, door: row.door || "", at,
    conflict: Boolean(row.conflict), late: Date.parse(row.received_at) - at > LATE_MS,
  };
}

const keyOf = (item) => `${item.status}|${item.door}|${item.at}`;

/** Add items (newest first) that the list does not have yet, at the top. */
function merge(name, incoming) {
  const list = lists[name];
  const fresh = [];
  for (const item of incoming) {
    const key = keyOf(item);
    if (list.keys.has(key)) continue;
    list.keys.add(key);
    fresh.push(item);
  }
  if (!fresh.length) return false;
  list.items.unshift(...fresh);
  for (const gone of list.items.splice(FEED_MAX)) list.keys.delete(keyOf(gone));
  return true;
}

function addLive(items) {
  const newest = items.slice().reverse();
  merge("feed", newest);
  merge("failed", newest.filter((i) => i.status !== "ok" && i.status !== "undone"));
  merge("conflicts", newest.filter((i) => i.conflict));
  for (const item of items) {
    if (item.status !== "ok") continue;
    const key = `${item.door}\u0000${Math.floor(item.at / BUCKET_MS) * BUCKET_MS}`;
    arrivals.set(key, (arrivals.get(key) || 0) + 1);
  }
  renderLists();
  renderChartSoon();
}

// ---- rendering ----------------------------------------------------------------------------

function renderStats() {
  if (!stats) return;
  renderDesks(stats, tr, $);
  $("stat-registered").textContent = String(stats.registered);
  $("stat-checked-in").textContent = String(stats.checked_in);
  const ul = $("by-door");
  ul.replaceChildren(...Object.entries(stats.by_door || {})
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([door, n]) => {
      const li = document.createElement("li");
      const name = document.createElement("span");
      name.textContent = door || "?";
      const count = document.createElement("strong");
      count.textContent = String(n);
      li.append(name, " ", count);
      return li;
    }));
}

function itemRow(item) {
  const li = document.createElement("li");
  li.className = `feed-item st--${item.status}${item.conflict ? " is-conflict" : ""}`;
  const time = document.createElement("time");
  time.dateTime = new Date(item.at).toISOString();
  time.textContent = clock(item.at, true);
  const status = document.createElement("span");
  status.className = "st";
  status.textContent = tr(`scan.status.${item.status}`);
  const door = document.createElement("span");
  door.className = "door-name";
  door.textContent = item.door;
  li.append(time, " ", status, " ", door);
  if (item.late) {
    const late = document.createElement("span");
    late.className = "tag";
    late.textContent = tr("dash.late");
    li.append(" ", late);
  }
  return li;
}

function renderList(name, none) {
  const el = $(name);
  el.replaceChildren(...lists[name].items.map(itemRow));
  $(none).hidden = lists[name].items.length > 0;
}

function renderLists() {
  renderList("feed", "feed-none");
  renderList("failed", "failed-none");
  const ul = $("conflicts");
  const shown = new Set(Array.from(ul.children, (li) => li.dataset.key));
  const wanted = lists.conflicts.items;
  // Append-only rendering keeps the live region from re-announcing old alerts.
  for (const item of wanted.slice().reverse()) {
    const key = keyOf(item);
    if (shown.has(key)) continue;
    const li = document.createElement("li");
    li.className = "conflict";
    li.dataset.key = key;
    li.textContent = tr("dash.conflict_item", { door: item.door, time: clock(item.at, true) });
    ul.prepend(li);
  }
  $("conflicts-none").hidden = wanted.length > 0;
}

let chartTimer = null;
function renderChartSoon() {
  if (chartTimer) return;
  chartTimer = setTimeout(() => {
    chartTimer = null;
    renderChart();
  }, 250);
}

function niceMax(n) {
  const power = 10 ** Math.floor(Math.log10(Math.max(n, 1)));
  for (const step of [1, 2, 5, 10]) if (step * power >= n) return step * power;
  return 10 * power;
}

function el(name, attrs, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function renderChart() {
  const chart = $("chart");
  const parsed = Array.from(arrivals, ([key, count]) => {
    const [door, start] = key.split("\u0000");
    return { door, start: Number(start), count };
  });
  $("arrivals-none").hidden = parsed.length > 0;
  $("arrivals-table").closest("details").hidden = parsed.length === 0;
  if (!parsed.length) {
    chart.replaceChildren();
    $("legend").replaceChildren();
    $("arrivals-table").replaceChildren();
    return;
  }
  const doors = [...new Set(parsed.map((p) => p.door))].sort((a, b) => a.localeCompare(b));
  const last = Math.max(...parsed.map((p) => p.start));
  // At least CHART_MIN_BUCKETS slots (the hour up to the newest), at most CHART_BUCKETS.
  const first = Math.min(
    Math.max(Math.min(...parsed.map((p) => p.start)), last - (CHART_BUCKETS - 1) * BUCKET_MS),
    last - (CHART_MIN_BUCKETS - 1) * BUCKET_MS,
  );
  const starts = [];
  for (let s = first; s <= last; s += BUCKET_MS) starts.push(s);
  const counts = new Map(parsed.map((p) => [`${p.door}\u0000${p.start}`, p.count]));
  const get = (door, start) => counts.get(`${door}\u0000${start}`) || 0;
  const totals = starts.map((s) => doors.reduce((sum, d) => sum + get(d, s), 0));
  const top = niceMax(Math.max(...totals));

  const W = 720;
  const H = 260;
  const m = { left: 44, right: 8, top: 12, bottom: 30 };
  const plotW = W - m.left - m.right;
  const plotH = H - m.top - m.bottom;
  const slot = plotW / starts.length;
  const barW = Math.max(2, slot * 0.8);
  const y = (v) => m.top + plotH - (v / top) * plotH;

  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart-svg", role: "img",
                          "aria-labelledby": "arrivals-heading" });
  for (const v of [0, top / 2, top].filter(Number.isInteger)) {
    svg.append(el("line", { x1: m.left, x2: W - m.right, y1: y(v), y2: y(v), class: "grid" }));
    svg.append(el("text", { x: m.left - 6, y: y(v) + 4, class: "axis", "text-anchor": "end" },
                  String(Math.round(v))));
  }
  const every = Math.ceil(starts.length / 8);
  starts.forEach((start, i) => {
    const x = m.left + i * slot + (slot - barW) / 2;
    let base = 0;
    doors.forEach((door, d) => {
      const n = get(door, start);
      if (!n) return;
      const rect = el("rect", { x, y: y(base + n), width: barW, height: y(base) - y(base + n),
                                class: `series-${d % SERIES}` });
      rect.append(el("title", {}, `${door} ${clock(start)}: ${n}`));
      svg.append(rect);
      base += n;
    });
    if (i % every === 0) {
      svg.append(el("text", { x: m.left + i * slot + slot / 2, y: H - 10, class: "axis",
                              "text-anchor": "middle" }, clock(start)));
    }
  });
  chart.replaceChildren(svg);

  $("legend").replaceChildren(...doors.map((door, d) => {
    const li = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = `swatch series-${d % SERIES}`;
    swatch.setAttribute("aria-hidden", "true");
    li.append(swatch, door || "?");
    return li;
  }));

  const table = $("arrivals-table");
  const head = document.createElement("tr");
  for (const text of [tr("dash.arrivals.time"), ...doors]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = text || "?";
    head.append(th);
  }
  const rows = starts.filter((_, i) => totals[i] > 0).map((start) => {
    const tr_ = document.createElement("tr");
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = clock(start);
    tr_.append(th);
    for (const door of doors) {
      const td = document.createElement("td");
      td.textContent = String(get(door, start));
      tr_.append(td);
    }
    return tr_;
  });
  table.replaceChildren(head, ...rows);
}

// ---- loading -------------------------------------------------------------------------------

async function loadArrivals() {
  try {
    const r = await api("/arrivals?bucket_minutes=5");
    if (r.status !== 200) return;
    arrivals.clear();
    for (const row of r.data) {
      arrivals.set(`${row.door}\u0000${Date.parse(row.start)}`, row.count);
    }
    renderChart();
  } catch { /* offline: keep what we have */ }
}

async function loadScans() {
  try {
    const [all, failed] = await Promise.all([api("/scans?limit=50"),
                                             api("/scans?failed=true&limit=50")]);
    if (all.status === 200) merge("feed", all.data.map(fromLog));
    if (failed.status === 200) {
      const items = failed.data.map(fromLog);
      merge("failed", items);
      merge("conflicts", items.filter((i) => i.conflict));
    }
    renderLists();
  } catch { /* offline */ }
}

/** true: token works; false: refused; null: no answer (network). */
async function checkToken() {
  try {
    const r = await api("/stats");
    if (r.status === 401 || r.status === 403) return false;
    if (r.status === 200) {
      stats = r.data;
      renderStats();
    }
    return true;
  } catch {
    return null;
  }
}

// ---- websocket -------------------------------------------------------------------------------

let attempts = 0;
let stopped = false;

function setLive(on, key) {
  const live = $("live");
  live.className = `net ${on ? "net--online" : "net--offline"}`;
  live.dataset.live = String(on);
  live.textContent = tr(key || (on ? "dash.live" : "dash.reconnecting"));
}

// While the server's link to the other app processes is down it sends
// {"type": "status", "feed": "degraded"}: scans at doors served by another process do not
// come through. When it says "ok" again, read everything again so nothing missed stays
// missing. A new connection starts with a snapshot (and the status again, if still down).
let feedRestoredTimer = null;

function feedStatus(message) {
  const notice = $("feed-status");
  const was = root.dataset.feed === "degraded";
  const degraded = message.type === "status" && message.feed === "degraded";
  root.dataset.feed = degraded ? "degraded" : "ok";
  clearTimeout(feedRestoredTimer);
  if (degraded) {
    if (!was) notice.textContent = tr("dash.degraded");
  } else if (was && message.type === "snapshot") {
    notice.textContent = ""; // reconnected: reconnect() reloads, a status follows if needed
  } else if (was) {
    notice.textContent = tr("dash.restored");
    feedRestoredTimer = setTimeout(() => { notice.textContent = ""; }, 10_000);
    checkToken();
    loadScans();
    loadArrivals();
  }
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const url = `${scheme}//${location.host}/ws/events/${encodeURIComponent(slug)}/live`
    + (device.token ? `?token=${encodeURIComponent(device.token)}` : "");
  const ws = new WebSocket(url);
  ws.addEventListener("open", () => {
    attempts = 0;
    setLive(true);
  });
  ws.addEventListener("message", (event) => {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    if (message.stats) {
      stats = message.stats;
      renderStats();
    }
    if (message.type === "checkin") addLive([fromLive(message)]);
    else if (message.type === "batch") addLive(message.items.map(fromLive));
    else if (message.type === "status" || message.type === "snapshot") feedStatus(message);
  });
  ws.addEventListener("close", () => {
    setLive(false);
    if (!stopped) reconnect();
  });
}

function reconnect() {
  attempts += 1;
  const base = Math.min(30_000, 1000 * 2 ** Math.min(attempts - 1, 5));
  const delay = base * (0.75 + Math.random() * 0.5);
  setTimeout(async () => {
    const ok = await checkToken();
    if (ok === false) {
      stopped = true;
      setLive(false, "dash.unauthorized");
      return;
    }
    if (ok === null) {
      reconnect();
      return;
    }
    connect();
    loadScans();
    loadArrivals();
  }, delay);
}

// ---- start -----------------------------------------------------------------------------------

async function start() {
  $("unpaired").hidden = true;
  $("dash-app").hidden = false;
  connect();
  await Promise.all([checkToken(), loadScans(), loadArrivals()]);
  setInterval(loadArrivals, ARRIVALS_EVERY_MS);
  root.dataset.ready = "true";
}

function unpaired() {
  $("unpaired").hidden = false;
  const form = $("token-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = $("token-error");
    error.hidden = true;
    const token = form.elements.token.value.trim();
    let ok = false;
    try {
      const r = await fetch(`/api/v1/events/${encodeURIComponent(slug)}/stats`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      ok = r.ok;
    } catch { /* offline */ }
    if (!ok) {
      error.textContent = tr("dash.unauthorized");
      error.hidden = false;
      return;
    }
    device = saveDevice({ token, event: slug, role: "organiser", label: "" });
    start();
  });
}

device = loadDevice(slug, ["organiser", "door"]);
if (device) start();
else unpaired();
