// The employer tablet (stand.js): the employer admin's tools. Pairing, listing and revoking
// scan-only tablets; the export and the stand QR code, fetched with the token in the header
// and shown from a Blob.

import { Offline } from "./device.js";
import { $, api, lang, slug, state, tr } from "./stand-context.js";

export function fetchBlob(path) {
  return state.client.blob(path);
}

export async function loadTablets() {
  const { status, data } = await api("GET", "/devices");
  if (status !== 200) return;
  const list = $("tablet-list");
  list.replaceChildren();
  if (!data.length) {
    const none = document.createElement("li");
    none.textContent = tr("tablet.tablets.none");
    list.append(none);
  }
  for (const tablet of data) {
    const item = document.createElement("li");
    item.textContent = tablet.label + " ";
    if (tablet.revoked_at) {
      item.append(`(${tr("tablet.tablets.revoked")})`);
    } else {
      const revoke = document.createElement("button");
      revoke.type = "button";
      revoke.className = "button tablet-button-quiet";
      revoke.textContent = tr("tablet.tablets.revoke");
      revoke.setAttribute("aria-label", `${tr("tablet.tablets.revoke")}: ${tablet.label}`);
      revoke.addEventListener("click", () => revokeTablet(tablet.id));
      item.append(revoke);
    }
    list.append(item);
  }
}

export async function addTablet(event) {
  event.preventDefault();
  const label = $("tablet-label").value.trim();
  const message = $("tablets-message");
  message.textContent = "";
  try {
    const { status, data } = await api("POST", "/pairings", { role: "employer_tablet", label });
    if (status !== 201) throw new Error(String(status));
    $("tablet-qr").src = data.qr;
    $("tablet-pairing").hidden = false;
    $("tablet-label").value = "";
    await loadTablets();
  } catch {
    message.textContent = tr("tablet.tablets.failed");
  }
}

export async function revokeTablet(id) {
  try {
    const { status } = await api("POST", `/devices/${id}/revoke`);
    if (status !== 201) throw new Error(String(status));
    await loadTablets();
  } catch {
    $("tablets-message").textContent = tr("tablet.tablets.failed");
  }
}

// ---- export and stand QR ------------------------------------------------------------

export async function exportList() {
  const message = $("tools-message");
  let blob;
  try {
    blob = await fetchBlob(`/interests.csv?lang=${lang}`); // headers in the page language
  } catch (err) {
    message.textContent = err instanceof Offline ? tr("tablet.export.offline")
      : tr("tablet.r.error", { detail: err.message });
    return;
  }
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = `${slug}-interests.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  message.textContent = tr("tablet.export.done");
}

let qrUrl = null;

export async function showQr() {
  const message = $("tools-message");
  if (!qrUrl) {
    try {
      qrUrl = URL.createObjectURL(await fetchBlob("/stand-qr.png"));
    } catch (err) {
      message.textContent = err instanceof Offline ? tr("tablet.qr.offline")
        : tr("tablet.r.error", { detail: err.message });
      return;
    }
  }
  message.textContent = "";
  const image = $("qr-image");
  image.src = qrUrl;
  const dialog = $("qr-dialog");
  if (typeof dialog.showModal === "function") dialog.showModal();
  else dialog.setAttribute("open", "");
  $("qr-close").focus();
}

export function closeQr() {
  const dialog = $("qr-dialog");
  if (typeof dialog.close === "function") dialog.close();
  else dialog.removeAttribute("open");
}
