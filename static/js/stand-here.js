// The employer tablet (stand.js): who is here now. The stand's websocket announces visitors
// who checked in and match the stand; it reconnects with a backoff, and stops for good once
// the token is refused (401).

import { UNAUTHORIZED } from "./device.js";
import { learnCard } from "./stand-card.js";
import { $, clock, lang, slug, state, tr } from "./stand-context.js";
import { scheduleFlush } from "./stand-queue.js";

export const HERE_MAX = 30;
let wsAttempts = 0;
let wsStopped = false;
let here = null; // the open (or opening) websocket
let hereTimer = null; // a pending reconnect

export function setHere(on, key, values) {
  const line = $("here-state");
  line.className = `tablet-net ${on ? "tablet-net--online" : "tablet-net--offline"}`;
  line.dataset.live = String(on);
  line.textContent = tr(key, values);
}

export function connectHere() {
  if (here || wsStopped) return;
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const url = `${scheme}//${location.host}/ws/events/${encodeURIComponent(slug)}/stand`
    + `?token=${encodeURIComponent(state.device.token)}&lang=${encodeURIComponent(lang)}`;
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

export function reconnectHere(delay) {
  if (hereTimer || wsStopped) return;
  wsAttempts += 1;
  const base = Math.min(30_000, 1000 * 2 ** Math.min(wsAttempts - 1, 5));
  hereTimer = setTimeout(() => {
    hereTimer = null;
    if (state.authTrouble === UNAUTHORIZED) {
      wsStopped = true;
      return;
    }
    connectHere();
  }, delay ?? base * (0.75 + Math.random() * 0.5));
}

/** The network went away: a dead connection can look open for minutes, so drop it. */
export function hereOffline() {
  if (here) here.close();
  setHere(false, "tablet.here.reconnecting");
}

/** The network is back: connect now instead of waiting for the backoff. */
export function hereOnline() {
  if (here) return;
  if (hereTimer) clearTimeout(hereTimer);
  hereTimer = null;
  wsAttempts = 0;
  connectHere();
}

export function arrived(card, at) {
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
  if (state.queued.some((item) => item.registration_id === card.registration_id)) {
    scheduleFlush(0, true);
  }
}
