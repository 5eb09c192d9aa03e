// Device pairing, and where a paired device keeps its token.
//
// localStorage:
//   "eventops.device"  – the latest pairing: {token, event, role, label}
//   "eventops.devices" – every pairing on this browser, by "<event>|<role>"
// The door page and the dashboard import loadDevice/saveDevice from here; the pairing page
// (/pair#<code>) runs the code at the bottom, which only acts when #pair is on the page.

import { pageTexts, translator } from "./device.js";

const LATEST = "eventops.device";
const ALL = "eventops.devices";

function readJson(key, fallback) {
  try {
    const value = JSON.parse(localStorage.getItem(key));
    return value && typeof value === "object" ? value : fallback;
  } catch {
    return fallback;
  }
}

export function saveDevice(record) {
  const clean = {
    token: String(record.token),
    event: String(record.event),
    role: String(record.role),
    label: String(record.label || ""),
  };
  const all = readJson(ALL, {});
  all[`${clean.event}|${clean.role}`] = clean;
  localStorage.setItem(ALL, JSON.stringify(all));
  localStorage.setItem(LATEST, JSON.stringify(clean));
  return clean;
}

/** A browser where an organiser or job coach has logged in (the server marks the page):
 *  no token, the session cookie goes along with every same-site request. */
export function signedIn() {
  return document.body.dataset.signedIn === "1";
}

/** Headers that prove who is calling: the device's bearer token, or, for a logged-in
 *  browser, the CSRF header that must repeat the CSRF cookie. */
export function authHeaders(record) {
  if (record && record.token) return { Authorization: `Bearer ${record.token}` };
  const match = document.cookie.match(/(?:^|; )csrftoken=([^;]*)/);
  return match ? { "X-CSRFToken": decodeURIComponent(match[1]) } : {};
}

/** The stored device record for this event, preferring the roles in the order given.
 *  Organiser pages in a logged-in browser use the session instead of a token. */
export function loadDevice(event, roles) {
  if (roles.includes("organiser") && signedIn()) {
    return { token: "", event, role: "organiser", label: "" };
  }
  const all = readJson(ALL, {});
  for (const role of roles) {
    const hit = all[`${event}|${role}`];
    if (hit && hit.token) return hit;
  }
  const latest = readJson(LATEST, null);
  if (latest && latest.token && latest.event === event && roles.includes(latest.role)) {
    return latest;
  }
  return null;
}

export function forgetDevice(event, role) {
  const all = readJson(ALL, {});
  delete all[`${event}|${role}`];
  localStorage.setItem(ALL, JSON.stringify(all));
  const latest = readJson(LATEST, null);
  if (latest && latest.event === event && latest.role === role) localStorage.removeItem(LATEST);
}

export function pageFor(record, lang) {
  const base = {
    door: "/door/", organiser: "/dashboard/", employer: "/stand/", employer_tablet: "/stand/",
    print_station: "/print/", kiosk: "/kiosk/",
  }[record.role] || "/door/";
  const query = lang ? `?lang=${encodeURIComponent(lang)}` : "";
  return base + encodeURIComponent(record.event) + query;
}

// ---- the pairing page -------------------------------------------------------------------

function pairingPage(root) {
  const tr = translator(pageTexts(root));
  const lang = new URLSearchParams(location.search).get("lang") || "";
  const status = document.getElementById("pair-status");
  const say = (key, values, kind) => {
    status.textContent = tr(key, values);
    status.className = kind ? `pair-status ${kind}` : "pair-status";
  };

  function done(record) {
    say("pair.done", { label: record.label || record.role }, "success");
    location.replace(pageFor(record, lang));
  }

  async function redeem(code) {
    say("pair.working");
    let response;
    try {
      response = await fetch(`/api/v1/pair/${encodeURIComponent(code)}`, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: "{}",
      });
    } catch {
      say("pair.offline", null, "notice");
      return;
    }
    if (response.status !== 201) {
      say("pair.failed", null, "notice");
      return;
    }
    const data = await response.json();
    done(saveDevice(data));
  }

  const code = location.hash.slice(1);
  if (code) {
    // The code is used once; do not leave it in the address bar or the history.
    history.replaceState(null, "", location.pathname + location.search);
    redeem(decodeURIComponent(code));
  }

  const form = document.getElementById("pair-manual");
  const error = document.getElementById("pair-manual-error");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    const record = {
      token: form.elements.token.value.trim(),
      event: form.elements.event.value.trim(),
      role: form.elements.role.value,
      label: form.elements.label.value.trim(),
    };
    // Check the token before keeping it: every device role may read the event's keys.
    let response;
    try {
      response = await fetch(`/api/v1/events/${encodeURIComponent(record.event)}/keys`, {
        headers: { Authorization: `Bearer ${record.token}` },
      });
    } catch {
      error.textContent = tr("pair.offline");
      error.hidden = false;
      return;
    }
    if (!response.ok) {
      let detail = "";
      try {
        detail = (await response.json()).detail || "";
      } catch { /* not JSON */ }
      error.textContent = detail || tr("pair.failed");
      error.hidden = false;
      form.elements.token.focus();
      return;
    }
    done(saveDevice(record));
  });
}

const pairRoot = typeof document !== "undefined" && document.getElementById("pair");
if (pairRoot) pairingPage(pairRoot);
