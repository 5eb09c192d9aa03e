// Report pages: /events/<event>/reports (that event's organiser token) and /reports (the
// whole programme; any organiser token this browser holds). Charts are plain SVG built here;
// every chart has its numbers as a table too. Exports are fetched with the token and saved
// through a blob link (a plain link could not carry the Authorization header).

import { pageTexts, translator } from "./device.js";
import { authHeaders, loadDevice, saveDevice, signedIn } from "./pair.js";

const root = document.getElementById("report");
const scope = root.dataset.scope;
const slug = root.dataset.event;
const lang = root.dataset.lang || "nl";
const texts = pageTexts(root);
const locale = lang === "en" ? "en-GB" : "nl-NL";
const zone = "Europe/Amsterdam"; // every event is in the Netherlands
const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
const SERIES = 8;

let device = null;

const tr = translator(texts);

function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "className") node.className = v;
    else node.setAttribute(k, String(v));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function s(name, attrs, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

const base = () => (scope === "programme"
  ? "/api/v1/reports/programme"
  : `/api/v1/events/${encodeURIComponent(slug)}/report`);

// The programme report of the page's ?programme=ID (none: the server's newest programme).
const programme = new URLSearchParams(window.location.search).get("programme");
const programmeQuery = scope === "programme" && programme && /^[0-9]{1,9}$/.test(programme)
  ? `&programme=${programme}` : "";

async function get(suffix) {
  return fetch(`${base()}${suffix}?lang=${lang}${programmeQuery}`, {
    headers: authHeaders(device), cache: "no-store",
  });
}

// ---- formatting ------------------------------------------------------------------------------

function num(value) {
  if (typeof value === "number") return value.toLocaleString(locale);
  return value === null || value === undefined ? "–" : String(value); // "<5", "x"
}

function pct(value) {
  return typeof value === "number"
    ? value.toLocaleString(locale, { style: "percent", maximumFractionDigits: 1 })
    : "–";
}

const isRate = (name) => name.endsWith("rate") || name === "progress";
const cell = (name, value) => (isRate(name) ? pct(value) : num(value));

// ---- charts ----------------------------------------------------------------------------------

function niceMax(n) {
  const power = 10 ** Math.floor(Math.log10(Math.max(n, 1)));
  for (const step of [1, 2, 5, 10]) if (step * power >= n) return step * power;
  return 10 * power;
}

/** Horizontal bars: [{label, value, max?, text}]; ``compact`` for the narrow columns. */
function hbars(items, { labelledBy, percentOf, compact } = {}) {
  const W = compact ? 380 : 560;
  const rowH = 30;
  const left = compact ? 140 : 190;
  const right = compact ? 50 : 70;
  const H = items.length * rowH + 8;
  const top = percentOf ? 1 : niceMax(Math.max(1, ...items.map((i) => i.value)));
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart-svg", role: "img",
                         "aria-labelledby": labelledBy });
  items.forEach((item, i) => {
    const y = 4 + i * rowH;
    const share = percentOf ? Math.min(item.value / (item.max || 1), 1) : item.value / top;
    svg.append(s("text", { x: left - 8, y: y + 19, class: "axis", "text-anchor": "end" },
                 item.label));
    if (percentOf) {
      svg.append(s("rect", { x: left, y: y + 4, width: W - left - right, height: rowH - 10,
                             class: "track" }));
    }
    const bar = s("rect", { x: left, y: y + 4, width: Math.max(share * (W - left - right), 1),
                            height: rowH - 10, class: `series-${i % SERIES}` });
    bar.append(s("title", {}, `${item.label}: ${item.text}`));
    svg.append(bar);
    svg.append(s("text", { x: W - right + 6, y: y + 19, class: "axis" }, item.text));
  });
  return svg;
}

/** Vertical bars over time: [{start, count}]. */
function timeBars(points, bucket, labelledBy) {
  const W = 720;
  const H = 240;
  const m = { left: 44, right: 8, top: 12, bottom: 30 };
  const top = niceMax(Math.max(1, ...points.map((p) => p.count)));
  const slot = (W - m.left - m.right) / points.length;
  const barW = Math.max(2, slot * 0.8);
  const y = (v) => m.top + (H - m.top - m.bottom) * (1 - v / top);
  const label = (start) => (bucket === "day"
    ? new Date(`${start}T12:00:00`).toLocaleDateString(locale, { day: "numeric", month: "short" })
    : new Date(start).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit",
                                                   timeZone: zone }));
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart-svg", role: "img",
                         "aria-labelledby": labelledBy });
  for (const v of [0, top / 2, top].filter(Number.isInteger)) {
    svg.append(s("line", { x1: m.left, x2: W - m.right, y1: y(v), y2: y(v), class: "grid" }));
    svg.append(s("text", { x: m.left - 6, y: y(v) + 4, class: "axis", "text-anchor": "end" },
                 String(v)));
  }
  const every = Math.ceil(points.length / 8);
  points.forEach((p, i) => {
    const x = m.left + i * slot + (slot - barW) / 2;
    if (p.count) {
      const bar = s("rect", { x, y: y(p.count), width: barW, height: y(0) - y(p.count),
                              class: "series-0" });
      bar.append(s("title", {}, `${label(p.start)}: ${p.count}`));
      svg.append(bar);
    }
    if (i % every === 0) {
      svg.append(s("text", { x: m.left + i * slot + slot / 2, y: H - 10, class: "axis",
                             "text-anchor": "middle" }, label(p.start)));
    }
  });
  return svg;
}

function table(head, rows) {
  return h("table", { className: "numbers" },
    h("thead", {}, h("tr", {}, head.map((text) => h("th", { scope: "col" }, text)))),
    h("tbody", {}, rows.map((cells) => h("tr", {},
      h("th", { scope: "row" }, cells[0]), cells.slice(1).map((c) => h("td", {}, c))))));
}

function withTable(chart, head, rows) {
  return [chart, h("details", { className: "chart-table" }, h("summary", {}, tr("report.table")),
    h("div", { className: "table-scroll" }, table(head, rows)))];
}

// ---- sections --------------------------------------------------------------------------------

function figures(el, entries) {
  el.replaceChildren(...entries.map(([name, value]) => h("div", { className: "big" },
    h("dt", {}, tr(`report.metric.${name}`)), h("dd", { "data-metric": name }, cell(name, value)))));
}

function levelChart(id, heading, counts, prefix) {
  const items = Object.entries(counts).map(([key, value]) => ({
    label: tr(`${prefix}.${key}`), value, text: num(value),
  }));
  $(id).replaceChildren(...withTable(hbars(items, { labelledBy: heading, compact: true }),
    [tr("report.col.category"), tr("report.col.value")], items.map((i) => [i.label, i.text])));
}

function render(report) {
  // Which programme these numbers are of (only its own events count).
  if (report.programme && $("report-programme")) {
    $("report-programme").textContent = report.programme.name;
  }
  const t = report.totals;
  figures($("totals"), [["registered", t.registered], ["checked_in", t.checked_in],
    ["show_rate", t.show_rate], ["waiting_list", t.waiting_list], ["interests", t.interests],
    ["matches", t.matches], ["hired", t.hired], ["started_training", t.started_training]]);

  // The report names each target in the page language (an organiser's own: its label).
  const targets = report.targets.map((row) => ({
    label: row.label, value: row.actual, max: row.target,
    text: `${num(row.actual)} / ${num(row.target)}`,
  }));
  $("targets").replaceChildren(...withTable(
    hbars(targets, { labelledBy: "targets-heading", percentOf: true }),
    [tr("report.col.target"), tr("report.metric.actual"), tr("report.metric.target"),
     tr("report.metric.progress")],
    report.targets.map((row) => [row.label, num(row.actual), num(row.target),
                                 pct(row.progress)])));

  // A row that is this event's share of a programme-wide target says over how many events
  // that target is split (the programme's own number, not a fixed 16).
  const shares = new Map();
  for (const row of report.targets) {
    if (row.shared_over) shares.set(row.shared_over, [...(shares.get(row.shared_over) || []),
                                                      row.label]);
  }
  $("targets-share").replaceChildren(...[...shares].map(([n, labels]) => h("p", {},
    tr("report.target.shared_over", { targets: labels.join(", "), n }))));

  const points = report.checkins.points;
  $("checkins-none").hidden = points.length > 0;
  $("checkins").replaceChildren(...(points.length ? withTable(
    timeBars(points, report.checkins.bucket, "checkins-heading"),
    [tr("report.col.time"), tr("report.metric.checked_in")],
    points.filter((p) => p.count).map((p) => [p.start, num(p.count)])) : []));

  levelChart("matches-by-level", "mlevel-heading", report.matches_by_level, "fu.level");
  levelChart("matches-by-status", "mstatus-heading", report.matches_by_status, "fu.status");
  levelChart("interests-by-level", "ilevel-heading", report.interests_by_level, "fu.level");

  const c = report.conversion;
  figures($("conversion"), [["job_matches", c.job_matches], ["jobs", c.jobs],
    ["job_rate", c.job_rate], ["training_matches", c.training_matches],
    ["trainings", c.trainings], ["training_rate", c.training_rate]]);

  $("breakdowns").replaceChildren(...report.breakdowns.map((b) => {
    const id = `breakdown-${b.key}`;
    return h("section", { "aria-labelledby": id, "data-breakdown": b.key },
      h("h2", { id }, tr(`report.breakdown.${b.key}`)),
      b.key === "visitor_sector" ? h("p", { className: "hint" }, tr("report.note.visitor_sector"))
        : null,
      h("div", { className: "table-scroll" }, table(
        [tr("report.col.category"), ...b.columns.map((col) => tr(`report.metric.${col}`))],
        b.rows.map((r) => [r.label, ...b.columns.map((col) => cell(col, r[col]))]))));
  }));

  if (report.events) {
    $("events-section").hidden = false;
    const cols = ["registered", "checked_in", "show_rate", "interests", "matches", "hired",
                  "started_training"];
    $("events-table").replaceWith(Object.assign(table(
      [tr("report.metric.name"), tr("report.metric.kind"), ...cols.map((k) => tr(`report.metric.${k}`))],
      report.events.map((e) => [e.name, tr(`event.kind.${e.kind}`), ...cols.map((k) => cell(k, e[k]))]),
    ), { id: "events-table" }));
  }
  $("report-status").textContent = new Date(report.generated_at)
    .toLocaleString(locale, { timeZone: zone });
  root.dataset.ready = "true";
}

// ---- loading and export ----------------------------------------------------------------------

async function load() {
  let response;
  try {
    response = await get("");
  } catch {
    $("report-status").textContent = tr("board.err.generic");
    return;
  }
  if (response.status === 401 || response.status === 403) {
    $("report-status").textContent = tr("dash.unauthorized");
    return;
  }
  render(await response.json());
}

async function download(suffix) {
  const response = await get(suffix);
  if (!response.ok) {
    $("report-status").textContent = tr("dash.unauthorized");
    return;
  }
  const url = URL.createObjectURL(await response.blob());
  const name = `${scope === "programme" ? "programme" : slug}-report${suffix}`;
  const link = h("a", { href: url, download: name, hidden: "hidden" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function anyOrganiser() {
  let all = {};
  try {
    all = JSON.parse(localStorage.getItem("eventops.devices")) || {};
  } catch { /* nothing stored */ }
  return Object.values(all).find((d) => d && d.role === "organiser" && d.token) || null;
}

function start() {
  $("unpaired").hidden = true;
  $("report-app").hidden = false;
  $("export-csv").addEventListener("click", () => download(".csv"));
  $("export-xlsx").addEventListener("click", () => download(".xlsx"));
  load();
}

function unpaired() {
  $("unpaired").hidden = false;
  const form = $("token-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = $("token-error");
    error.hidden = true;
    device = { token: form.elements.token.value.trim() };
    let ok = false;
    try {
      ok = (await get("")).ok;
    } catch { /* offline */ }
    if (!ok) {
      error.textContent = tr("dash.unauthorized");
      error.hidden = false;
      return;
    }
    // Event pages remember the token for that event; the programme page only uses it now.
    if (scope === "event") {
      device = saveDevice({ token: device.token, event: slug, role: "organiser", label: "" });
    }
    start();
  });
}

device = scope === "programme" && !signedIn() ? anyOrganiser() : loadDevice(slug, ["organiser"]);
if (device) start();
else unpaired();
