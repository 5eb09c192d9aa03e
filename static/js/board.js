// The follow-up board: /events/<event>/board, for an organiser token.
//
// The token comes from localStorage, stored by the pairing page or the dashboard (pair.js);
// without one the page asks for it. Filters live in the URL (?employer=&owner=&status=
// &overdue=true), so a link from a reminder mail opens the owner's own list.

import { pageTexts, translator } from "./device.js";
import { authHeaders, loadDevice, saveDevice } from "./pair.js";

const root = document.getElementById("board");
const slug = root.dataset.event;
const lang = root.dataset.lang || "nl";
const texts = pageTexts(root);
const locale = lang === "en" ? "en-GB" : "nl-NL";
const $ = (id) => document.getElementById(id);
const form = $("filters");

let device = null;

const tr = translator(texts);

function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "className") node.className = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// ---- API -----------------------------------------------------------------------------------

async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: {
      ...authHeaders(device),
      ...(body ? { "Content-Type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
    cache: "no-store",
  });
  let data = null;
  try {
    data = await response.json();
  } catch { /* not JSON */ }
  return { status: response.status, ok: response.ok, data };
}

const matchesUrl = (query) =>
  `/api/v1/events/${encodeURIComponent(slug)}/matches${query ? `?${query}` : ""}`;

// ---- filters ---------------------------------------------------------------------------------

function filterQuery() {
  const params = new URLSearchParams();
  for (const name of ["employer", "owner", "status"]) {
    const value = form.elements[name].value;
    if (value) params.set(name, value);
  }
  if (form.elements.overdue.checked) params.set("overdue", "true");
  return params;
}

function restoreFilters() {
  const params = new URLSearchParams(location.search);
  for (const name of ["employer", "owner", "status"]) {
    const value = params.get(name);
    if (!value) continue;
    const select = form.elements[name];
    if (![...select.options].some((o) => o.value === value)) {
      select.append(h("option", { value }, value));
    }
    select.value = value;
  }
  form.elements.overdue.checked = params.get("overdue") === "true";
}

function fillOptions(select, entries) {
  const keep = select.value;
  const fixed = [...select.options].filter((o) => o.value === "" || o.value === "-");
  select.replaceChildren(...fixed, ...entries.map(([value, label]) => h("option", { value }, label)));
  if ([...select.options].some((o) => o.value === keep)) select.value = keep;
}

function updateOptions(all) {
  const employers = new Map();
  const owners = new Map();
  for (const m of all) {
    employers.set(String(m.employer_id), m.employer_name);
    if (m.owner_email) owners.set(m.owner_email, m.owner_name || m.owner_email);
  }
  const byLabel = (a, b) => a[1].localeCompare(b[1], locale);
  fillOptions(form.elements.employer, [...employers].sort(byLabel));
  fillOptions(form.elements.owner, [...owners].sort(byLabel));
}

function eventChoices() {
  // Every event this browser holds an organiser token for (tokens are per event).
  let all = {};
  try {
    all = JSON.parse(localStorage.getItem("eventops.devices")) || {};
  } catch { /* nothing stored */ }
  const slugs = Object.values(all)
    .filter((d) => d && d.role === "organiser" && d.event && d.event !== slug)
    .map((d) => d.event);
  const select = $("f-event");
  for (const other of [...new Set(slugs)].sort()) select.append(h("option", { value: other }, other));
  select.addEventListener("change", () => {
    if (select.value !== slug) {
      location.href = `/events/${encodeURIComponent(select.value)}/board?lang=${lang}`;
    }
  });
}

// ---- rendering -------------------------------------------------------------------------------

function say(key, detail) {
  const el = $("board-message");
  el.className = key === "board.saved" ? "saved" : "notice";
  el.textContent = texts[key] ? tr(key) : (detail || tr("board.err.generic"));
  el.hidden = false;
}

function statusCell(m) {
  const cell = h("td", {}, h("span", { className: `status st-${m.status}` }, tr(`fu.status.${m.status}`)));
  if (m.reason) cell.append(h("div", { className: "hint" }, m.reason));
  if (!m.allowed_next.length) {
    cell.append(h("div", { className: "hint" }, tr("board.final")));
    return cell;
  }
  const id = `s-${m.id}`;
  const select = h("select", { id, name: "status" },
    m.allowed_next.map((s) => h("option", { value: s }, tr(`fu.status.${s}`))));
  const reason = h("input", { type: "text", name: "reason", id: `r-${m.id}`, maxlength: 1000 });
  const change = h("form", { className: "row-form" },
    h("label", { for: id }, tr("board.status.new")), select,
    h("label", { for: `r-${m.id}` }, tr("board.reason")), reason,
    h("button", { type: "submit", className: "button small" }, tr("board.save")));
  change.addEventListener("submit", async (event) => {
    event.preventDefault();
    const r = await call("POST", `/api/v1/matches/${m.id}/status`,
      { status: select.value, reason: reason.value });
    if (!r.ok) {
      say(`board.err.${r.data && r.data.error}`, r.data && r.data.detail);
      if (r.status === 409) load();
      return;
    }
    say("board.saved");
    load();
  });
  cell.append(change);
  return cell;
}

// The accounts that may own a match (organisers and job coaches of the event), loaded once.
let owners = [];

async function loadOwners() {
  const r = await call("GET", `/api/v1/events/${encodeURIComponent(slug)}/owners`);
  if (r.ok) owners = r.data;
}

function ownerCell(m) {
  const selectId = `oa-${m.id}`;
  const select = h("select", { id: selectId, name: "account_id" },
    h("option", { value: "" }, tr("board.owner.none")),
    owners.map((o) => h("option", { value: o.id, selected: o.email === m.owner_email },
      `${o.name} (${o.email})`)));
  const owner = h("form", { className: "row-form" },
    h("label", { for: selectId }, tr("board.owner.account")), select,
    h("button", { type: "submit", className: "button small" }, tr("board.save")));
  owner.addEventListener("submit", async (event) => {
    event.preventDefault();
    const r = await call("POST", `/api/v1/matches/${m.id}/owner`,
      { account_id: select.value ? Number(select.value) : null });
    if (!r.ok) {
      say(`board.err.${r.data && r.data.error}`, r.data && r.data.detail);
      return;
    }
    say("board.saved");
    load();
  });
  // Set owners collapse into "change"; a match without an owner shows the form at once.
  const change = h("details", { open: !m.owner_email },
    h("summary", {}, tr("board.owner.change")), owner);
  return h("td", {},
    m.owner_email
      ? h("div", {}, h("strong", {}, m.owner_name), h("div", { className: "hint" }, m.owner_email))
      : h("div", { className: "hint" }, tr("board.owner.none")),
    change);
}

/** One history line: when, what changed, and who did it. */
function historyLine(c) {
  const what = c.kind === "owner"
    ? (c.owner_name ? tr("board.history.owner", { name: c.owner_name })
      : tr("board.history.owner_none"))
    : `${c.from_status && c.from_status !== c.to_status ? `${tr(`fu.status.${c.from_status}`)} → ` : ""}`
      + tr(`fu.status.${c.to_status}`) + (c.reason ? ` (${c.reason})` : "");
  return h("li", {},
    h("time", { datetime: c.at }, new Date(c.at).toLocaleString(locale, { timeZone: "Europe/Amsterdam" })),
    " ", what, " · ", tr("board.history.by", { name: c.actor_name || c.actor }));
}

function historyBlock(m) {
  const list = h("ol", { className: "history" });
  const details = h("details", {}, h("summary", {}, tr("board.history")), list);
  details.addEventListener("toggle", async () => {
    if (!details.open || list.dataset.loaded) return;
    const r = await call("GET", `/api/v1/matches/${m.id}/history`);
    if (!r.ok) return;
    list.dataset.loaded = "true";
    list.replaceChildren(...r.data.map(historyLine));
  });
  return details;
}

function row(m) {
  const v = m.visitor;
  const visitor = h("td", {}, h("strong", {}, v.name),
    v.email ? h("div", {}, h("a", { href: `mailto:${v.email}` }, v.email)) : null,
    v.phone ? h("div", {}, v.phone) : null,
    v.consented ? null : h("div", { className: "tag" }, tr("board.private")),
    historyBlock(m));
  const employer = h("td", {}, m.employer_name, m.note ? h("div", { className: "hint" }, m.note) : null);
  const idle = h("td", {}, tr("board.idle_days", { n: m.idle_days }),
    m.overdue ? h("div", { className: "tag tag--overdue" }, tr("board.overdue")) : null);
  return h("tr", { "data-match": m.id, className: m.overdue ? "is-overdue" : null },
    visitor, employer, h("td", {}, tr(`fu.level.${m.level}`)), statusCell(m), ownerCell(m), idle);
}

// ---- loading ---------------------------------------------------------------------------------

let loading = 0;

async function load() {
  const ticket = ++loading;
  const query = filterQuery();
  history.replaceState(null, "", `?${new URLSearchParams({ lang, ...Object.fromEntries(query) })}`);
  const [all, shown] = await Promise.all([call("GET", matchesUrl("")),
                                          call("GET", matchesUrl(query.toString()))]);
  if (ticket !== loading) return; // a newer load is under way
  if (all.status === 401 || all.status === 403) {
    say("dash.unauthorized");
    return;
  }
  if (!all.ok || !shown.ok) {
    say(`board.err.${shown.data && shown.data.error}`, shown.data && shown.data.detail);
    return;
  }
  updateOptions(all.data);
  $("board-count").textContent = tr("board.count", { n: shown.data.length });
  $("board-none").hidden = shown.data.length > 0;
  $("match-rows").replaceChildren(...shown.data.map(row));
  root.dataset.ready = "true";
}

function start() {
  $("unpaired").hidden = true;
  $("board-app").hidden = false;
  eventChoices();
  restoreFilters();
  form.addEventListener("change", (event) => {
    if (event.target.name !== "event") {
      $("board-message").hidden = true;
      load();
    }
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  loadOwners().then(load);
}

function unpaired() {
  $("unpaired").hidden = false;
  const tokenForm = $("token-form");
  tokenForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = $("token-error");
    error.hidden = true;
    const token = tokenForm.elements.token.value.trim();
    let ok = false;
    try {
      const r = await fetch(matchesUrl("status=new"), { headers: { Authorization: `Bearer ${token}` } });
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

device = loadDevice(slug, ["organiser"]);
if (device) start();
else unpaired();
