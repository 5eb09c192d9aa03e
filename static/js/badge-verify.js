// Offline badge verification with WebCrypto Ed25519. Token format: badges/token.py (EO1).
//
//   token  = "EO1." + base64url(payload[11] || signature[64])      exactly 104 characters
//   payload: event_id u32 BE, registration_id u32 BE, serial u16 BE, key_id u8
//   signed bytes: "EO1." (4 ASCII bytes) || payload
//
// Keys and revocations come from GET /api/v1/events/{slug}/keys:
//   {event_id, keys: {key_id: base64url raw 32-byte public key},
//    current_serial: {registration_id: serial}, cancelled: {registration_id: serial}}
// A serial below current_serial[reg] is revoked (re-issued); a serial up to and including
// cancelled[reg] is revoked (cancelled). A device holds only its own event's keys, so a badge
// of another event is "invalid" here (its signature cannot be checked), as on the server side
// without that event's keys.

const SHAPE = /^EO1\.[A-Za-z0-9_-]{100}$/;
const PREFIX_BYTES = [0x45, 0x4f, 0x31, 0x2e]; // "EO1."

export function base64urlDecode(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const padded = b64 + "=".repeat((4 - (b64.length % 4)) % 4);
  const binary = atob(padded);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** Decode without verifying: {claim, signed, signature}, or null if it is not a token. */
export function parseToken(token) {
  if (typeof token !== "string" || !SHAPE.test(token)) return null;
  const raw = base64urlDecode(token.slice(4));
  if (raw.length !== 75) return null;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const claim = {
    eventId: view.getUint32(0),
    registrationId: view.getUint32(4),
    serial: view.getUint16(8),
    keyId: view.getUint8(10),
  };
  const signed = new Uint8Array(15);
  signed.set(PREFIX_BYTES, 0);
  signed.set(raw.subarray(0, 11), 4);
  return { claim, signed, signature: raw.slice(11) };
}

export class BadgeVerifier {
  constructor() {
    this.eventId = null;
    this.keys = new Map();
    this.current = {};
    this.cancelled = {};
  }

  get ready() {
    return this.eventId !== null && this.keys.size > 0;
  }

  /** Load the /keys answer. Keys the browser cannot import are skipped. */
  async load(data) {
    const keys = new Map();
    for (const [id, b64] of Object.entries(data.keys || {})) {
      try {
        keys.set(Number(id), await crypto.subtle.importKey(
          "raw", base64urlDecode(b64), { name: "Ed25519" }, false, ["verify"],
        ));
      } catch (err) {
        console.warn("badge key", id, "could not be imported", err);
      }
    }
    this.eventId = Number(data.event_id);
    this.keys = keys;
    this.current = data.current_serial || {};
    this.cancelled = data.cancelled || {};
  }

  isRevoked(registrationId, serial) {
    const current = this.current[String(registrationId)];
    if (current !== undefined && serial < current) return true;
    const cancelled = this.cancelled[String(registrationId)];
    return cancelled !== undefined && serial <= cancelled;
  }

  /**
   * {status, claim}: status is "ok", "invalid", "revoked", or "nokeys" (well-formed, but
   * there are no keys on this device yet to check it with).
   */
  async verify(token) {
    const parsed = parseToken(token);
    if (!parsed) return { status: "invalid", claim: null };
    const { claim } = parsed;
    if (!this.ready) return { status: "nokeys", claim };
    const key = claim.eventId === this.eventId ? this.keys.get(claim.keyId) : undefined;
    if (!key) return { status: "invalid", claim: null };
    let good = false;
    try {
      good = await crypto.subtle.verify({ name: "Ed25519" }, key, parsed.signature, parsed.signed);
    } catch {
      good = false;
    }
    if (!good) return { status: "invalid", claim: null };
    if (this.isRevoked(claim.registrationId, claim.serial)) return { status: "revoked", claim };
    return { status: "ok", claim };
  }
}
