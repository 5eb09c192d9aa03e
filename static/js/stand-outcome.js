// The employer tablet (stand.js): a scan opens the visitor's card; a tap on an outcome
// saves it (online, or through the queue); undo takes this visit's saves back. Scans and
// taps run one after another on state.chain.

import { parseToken } from "./badge-verify.js";
import { Offline } from "./device.js";
import {
  displayName,
  fillDetails,
  learnCard,
  renderChoice,
  renderVisitor,
} from "./stand-card.js";
import {
  $,
  api,
  bodyOf,
  byReg,
  lang,
  levelLabel,
  online,
  show,
  showRefusal,
  state,
  tokens,
  tr,
  valuesOf,
  verifier,
} from "./stand-context.js";
import { loadEntries, loadEntriesSoon, rememberEntry, renderEntries } from "./stand-list.js";
import { queuedFor, refreshPending, replaceQueued, scheduleFlush } from "./stand-queue.js";

// state.current = {
//   registrationId, token,
//   values: {level, note, rating, vacancy_id}   the last choice made on this card,
//   savedValues: what is stored now (server or queue), or null: nothing yet,
//   before: values before this visit (queue, server or list), or null: new,
//   queuedBefore: the queue item before this visit, or null,
//   interestId, serverWrites (saves the server took in this visit; undo takes each back),
//   serverTouched, saved (a tap in this visit was stored), local (the last save is in the
//   queue), localStatus (the offline badge check), offline (no card from the server),
// }

/** A scan opens the card and saves nothing: the server's read-only card (with this stand's
 *  entry, if any), or, without a network, the badge checked with the downloaded keys. The
 *  employer's tap on an outcome is what saves (save()). */
export async function scan(text) {
  const token = text.trim();
  if (!token) return;
  const parsed = parseToken(token);
  if (!parsed) {
    showRefusal("invalid");
    return;
  }
  const reg = parsed.claim.registrationId;
  show("busy", "working", tr("tablet.working"), "");
  const c = {
    registrationId: reg,
    token,
    values: null,
    savedValues: null,
    before: null,
    queuedBefore: null,
    interestId: null,
    serverWrites: 0,
    serverTouched: false,
    saved: false,
    local: false,
    localStatus: null,
    offline: false,
  };
  const answer = await fetchCard(c);
  if (answer.refused) {
    state.current = c;
    refused(c, answer.code, answer.detail);
    return;
  }
  if (!answer.card) {
    const verdict = await verifier.verify(token);
    c.localStatus = verdict.status;
    if (verdict.status === "invalid" || verdict.status === "revoked") {
      state.current = c;
      refused(c, verdict.status);
      return;
    }
    c.offline = true;
  }
  const inQueue = await queuedFor(reg);
  // Without the server's answer, the list as last downloaded is the best we know.
  const entry = answer.card ? answer.entry : byReg.get(reg) || null;
  c.before = inQueue ? valuesOf(inQueue) : entry ? valuesOf(entry) : null;
  c.savedValues = c.before;
  c.queuedBefore = inQueue;
  c.interestId = entry ? entry.id : null;
  c.values = c.before || { level: null, note: "", rating: null, vacancy_id: null };
  state.current = c;
  fillDetails(c.values);
  renderVisitor();
  $("undo").disabled = true; // undo is for a tap on this card
  const first = (answer.card && answer.card.first_name) || displayName(reg);
  if (c.offline) {
    const checked = c.localStatus === "ok";
    show(checked ? "ok" : "warn", checked ? "offline_card" : "offline_nokeys",
      tr(checked ? "tablet.r.offline_card" : "tablet.r.nokeys"),
      tr(checked ? "tablet.r.offline_card_hint" : "tablet.r.nokeys_card_hint"));
  } else if (c.before) {
    show("ok", "known", tr("tablet.r.again", { level: levelLabel(c.before.level) }),
      tr("tablet.r.again_hint"));
  } else {
    show("idle", "card", tr("tablet.r.card", { name: first }), tr("tablet.r.card_hint"));
  }
}

/** Ask the server for the card. {card, entry} on success, {refused, code, detail} when the
 *  badge is refused, {} when there is no usable answer (offline, 5xx, rate limited, token). */
export async function fetchCard(c) {
  if (!online()) return {};
  let r;
  try {
    r = await api("POST", `/interests/card?lang=${encodeURIComponent(lang)}`, { token: c.token });
  } catch (err) {
    if (err instanceof Offline) return {};
    throw err;
  }
  if (r.status === 200 && r.data && r.data.visitor) {
    learnCard(r.data.visitor);
    if (r.data.entry && !byReg.has(c.registrationId)) loadEntriesSoon(); // another tablet's
    return { card: r.data.visitor, entry: r.data.entry || null };
  }
  if (!r.auth && r.status >= 400 && r.status < 500 && r.status !== 429) {
    return { refused: true, code: (r.data && r.data.error) || String(r.status),
             detail: r.data && r.data.detail };
  }
  return {};
}

/** Save `values` for visitor `c`: online straight away, otherwise (or when the visitor has
 *  something in the queue already) through the queue. */
export async function save(c, values, why) {
  c.values = values;
  if (c === state.current) renderChoice();
  const inQueue = await queuedFor(c.registrationId);
  if (online() && !inQueue) {
    let r = null;
    try {
      r = await api("POST", `/interests?lang=${encodeURIComponent(lang)}`, bodyOf(c.token, values));
    } catch (err) {
      if (!(err instanceof Offline)) throw err;
    }
    if (r && r.status === 201) {
      savedOnServer(c, r.data, why);
      return;
    }
    if (r && !r.auth && r.status < 500 && r.status !== 429) {
      refused(c, (r.data && r.data.error) || String(r.status), r.data && r.data.detail);
      return;
    }
    // No answer, 5xx, rate limited or a token problem: keep it, send it later.
  }
  await keepLocally(c, values, why);
}

export function savedOnServer(c, data, why) {
  learnCard(data.visitor);
  rememberEntry(c.registrationId, data, c.values);
  tokens.set(c.registrationId, c.token);
  c.savedValues = c.values;
  c.interestId = data.id;
  c.serverTouched = true;
  c.serverWrites += 1; // undo takes back each of them
  c.saved = true;
  c.local = false;
  if (c !== state.current) return;
  renderVisitor();
  const level = levelLabel(c.values.level);
  if (why === "level" && c.before === null && data.created) {
    show("ok", "saved", tr("tablet.r.new", { level }), tr("tablet.r.new_hint"));
  } else if (why === "sync") {
    show("ok", "saved", tr("tablet.r.saved", { level }),
      c.wasOffline ? tr("tablet.r.synced_hint") : "");
  } else {
    show("ok", "saved", tr("tablet.r.saved", { level }), "");
  }
  $("undo").disabled = false;
  loadEntriesSoon();
}

export function refused(c, code, detail) {
  if (c !== state.current) return;
  showRefusal(code, detail);
  if (!c.saved) {
    // Nothing was saved for this visitor: no card, nothing to undo.
    state.current = null;
    renderVisitor();
    $("undo").disabled = true;
  } else {
    c.values = c.savedValues; // the buttons show what is really saved
    renderChoice();
  }
}

export async function keepLocally(c, values, why) {
  if (!c.localStatus) {
    const verdict = await verifier.verify(c.token);
    c.localStatus = verdict.status;
  }
  if (c.localStatus === "invalid" || c.localStatus === "revoked") {
    refused(c, c.localStatus);
    return;
  }
  await replaceQueued(c.registrationId, {
    registration_id: c.registrationId,
    token: c.token,
    ...values,
    saved_at: new Date().toISOString(),
    local_status: c.localStatus,
    attempts: 0,
  });
  tokens.set(c.registrationId, c.token);
  c.savedValues = values;
  c.saved = true;
  c.local = true;
  await refreshPending();
  if (c === state.current) {
    renderVisitor();
    const level = levelLabel(values.level);
    if (online()) {
      show("busy", "sending", tr("tablet.syncing"), "");
    } else {
      c.wasOffline = true;
      show("ok", "queued", tr("tablet.r.offline", { level }),
        c.localStatus === "nokeys" ? tr("tablet.r.nokeys_hint") : tr("tablet.r.offline_hint"));
    }
    $("undo").disabled = false;
  }
  scheduleFlush(online() ? 0 : 3000);
}

// ---- undo ---------------------------------------------------------------------------

export async function undo() {
  const c = state.current;
  if (!c || !c.saved) return;
  $("undo").disabled = true;
  // An entry being sent right now: let it land.
  if (state.flushing) await state.flushing.catch(() => {});
  const name = displayName(c.registrationId);
  // 1. The queue: take this visit's item out; put back what was waiting before.
  await replaceQueued(c.registrationId, c.queuedBefore);
  // 2. The server: take back this visit's own saves, newest first. Each undo puts back
  //    exactly what was there before that save (the entry goes when the save made it), and
  //    is refused when another tablet or the admin code changed the entry since.
  let back = c.before;
  if (c.serverTouched) {
    let r = { status: 200, data: { entry: null } };
    try {
      if (!online()) throw new Offline();
      while (c.serverWrites > 0) {
        r = await api("POST", "/interests/undo", { interest_id: c.interestId });
        if (r.status !== 200) break;
        c.serverWrites -= 1;
      }
    } catch {
      await refreshPending();
      show("error", "error", tr("tablet.undo_offline"), "");
      $("undo").disabled = false;
      return;
    }
    if (r.status !== 200) {
      await refreshPending();
      show("error", "error", tr("tablet.undo_failed",
        { detail: (r.data && r.data.detail) || r.status }), "");
      $("undo").disabled = false;
      return;
    }
    back = r.data.entry; // what the server holds now (null: the entry is gone)
  }
  state.current = null;
  renderVisitor();
  fillDetails({ level: null, note: "", rating: null, vacancy_id: null });
  await refreshPending();
  if (back) {
    show("idle", "undone", tr("tablet.undone_back", { name, level: levelLabel(back.level) }),
      "");
  } else {
    show("idle", "undone", tr("tablet.undone", { name }), "");
  }
  await loadEntries();
  renderEntries();
}

// ---- one after another --------------------------------------------------------------

export function onScan(text) {
  state.chain = state.chain.then(() => scan(text)).catch(failed);
  return state.chain;
}

export function failed(err) {
  console.error(err);
  show("error", "error", tr("tablet.r.error", { detail: String(err) }), "");
}
