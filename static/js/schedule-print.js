// The printable table plan: /events/<event>/schedule/print, for an organiser token.
//
// The token comes from localStorage (stored by pairing, the dashboard or the board; see
// pair.js); without one the page asks for it. Tokens never go into URLs. The plan comes
// from GET /api/v1/events/<event>/schedule and is drawn twice: one sheet per round (which
// visitor sits at which table) and one sheet per table (the employer's list for the day).

import { pageTexts, translator } from "./device.js";
import { authHeaders, loadDevice, saveDevice } from "./pair.js";

const root = document.getElementById("schedule-print");
const slug = root.dataset.event;
const texts = pageTexts(root);
const $ = (id) => document.getElementById(id);
let device = null;

const tr = translator(texts);

function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "className") node.className = v;
    else node.setAttribute(k, String(v));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function fetchPlan(record, published) {
  const query = published ? "?state=published" : "";
  const response = await fetch(`/api/v1/events/${encodeURIComponent(slug)}/schedule${query}`, {
    headers: authHeaders(record), cache: "no-store",
  });
  let data = null;
  try {
    data = await response.json();
  } catch { /* not JSON */ }
  return { status: response.status, data };
}

function table(head, rows) {
  return h("table", { className: "plan" },
    h("thead", {}, h("tr", {}, head.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, c))))));
}

function draw(plan) {
  const status = $("plan-status");
  const byRound = $("by-round");
  const byTable = $("by-table");
  byRound.replaceChildren();
  byTable.replaceChildren();
  if (!plan.meetings.length) {
    status.textContent = tr("schedule.print.empty");
    return;
  }
  status.textContent = plan.state === "draft" ? tr("schedule.print.draft") : "";
  // Say so when the meetings could not be shared evenly (see schedule.balance()).
  const shared = plan.balance;
  if (shared && !shared.even) {
    const why = shared.reason === "limited"
      ? tr("schedule.balance.limited", { n: shared.limited, fewest: shared.fewest })
      : tr("schedule.balance.choices");
    status.textContent += ` ${tr("schedule.balance.uneven", shared)} ${why}`;
  }
  const at = new Map(); // "round|table" -> meeting
  for (const m of plan.meetings) at.set(`${m.round}|${m.table_no}`, m);
  for (const r of plan.rounds) {
    const rows = plan.tables.map((tb) => {
      const m = at.get(`${r.round}|${tb.table_no}`);
      return [tb.table_no, tb.employer, m ? m.visitor : "—"];
    });
    byRound.append(h("section", { className: "sheet" },
      h("h2", {}, tr("schedule.print.round", { n: r.round, time: r.time })),
      table([tr("schedule.col.table"), tr("schedule.col.employer"), tr("schedule.col.visitor")],
        rows)));
  }
  for (const tb of plan.tables) {
    const rows = plan.rounds.map((r) => {
      const m = at.get(`${r.round}|${tb.table_no}`);
      return [r.time, m ? m.visitor : "—"];
    });
    byTable.append(h("section", { className: "sheet" },
      h("h2", {}, `${tr("schedule.table", { n: tb.table_no })} · ${tb.employer}`),
      table([tr("schedule.col.time"), tr("schedule.col.visitor")], rows)));
  }
}

async function load() {
  const published = $("show-published").checked;
  const { status, data } = await fetchPlan(device, published);
  if (status === 401 || status === 403) {
    unpaired();
    return;
  }
  if (status !== 200 || !data) {
    $("plan-status").textContent = (data && data.detail) || tr("schedule.print.empty");
    return;
  }
  draw(data);
}

let started = false;

function start() {
  $("unpaired").hidden = true;
  $("plan-app").hidden = false;
  if (!started) {
    started = true;
    $("print").addEventListener("click", () => window.print());
    $("show-published").addEventListener("change", load);
  }
  load();
}

function unpaired() {
  $("plan-app").hidden = true;
  $("unpaired").hidden = false;
}

$("token-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const token = $("token-input").value.trim();
  const error = $("token-error");
  const { status } = await fetchPlan({ token }, false).catch(() => ({ status: 0 }));
  if (status === 401 || status === 403 || status === 0) {
    error.textContent = tr("dash.unauthorized");
    error.hidden = false;
    return;
  }
  error.hidden = true;
  device = saveDevice({ token, event: slug, role: "organiser", label: "" });
  start();
});

device = loadDevice(slug, ["organiser"]);
if (device) start();
else unpaired();
