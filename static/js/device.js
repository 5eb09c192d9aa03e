// What the device pages (door scanner, employer tablet) and the staff pages share: page
// texts (tr), times shown in Europe/Amsterdam, and calls to the event's API with a timeout,
// an Offline error, and the one rule for what a 401 or a 403 means.
//
// The auth rule (the API: event_ops/access/permissions.py, app/errors.py):
//   401 unauthorized – no token, or one the server does not know (revoked, mistyped). The
//                      device has to be paired again: the page says so in its status line.
//   403 forbidden    – the token is valid, but its role may not do this (or not for this
//                      event). Pairing again with the same code would not help: the page
//                      says "not allowed" in its status line.
//   403 wrong_event  – not about the device at all: the badge is for another event. The page
//                      shows it as an answer about that badge.
// In both auth cases the page keeps the token (only "Unpair" removes it) and keeps every
// queued scan or entry: nothing a person entered is thrown away, and it is sent once a
// working token is paired.

export const REQUEST_TIMEOUT_MS = 6000;

export const UNAUTHORIZED = "unauthorized";
export const FORBIDDEN = "forbidden";

/** No answer from the server: the network is down, or the request timed out. */
export class Offline extends Error {}

/** `text` with each `{key}` replaced by `values[key]`. */
export function format(text, values) {
  let out = String(text);
  for (const [key, value] of Object.entries(values || {})) {
    out = out.split(`{${key}}`).join(String(value));
  }
  return out;
}

/** tr(key, values): the page text `key` (from the page's data-texts), filled in. A key
 *  without a text shows as itself, which tests/test_language.py guards against. */
export function translator(texts) {
  return (key, values) => format(texts[key] || key, values);
}

/** The page's texts from a root element's data-texts (JSON: the CSP forbids inline script). */
export function pageTexts(root) {
  return JSON.parse((root && root.dataset.texts) || "{}");
}

/** clock(iso) → "14:05" in Amsterdam time, for the page language; "" for a bad value. */
export function clockFor(lang) {
  const locale = lang === "en" ? "en-GB" : "nl-NL";
  return (iso) => {
    const when = new Date(iso);
    if (Number.isNaN(when.getTime())) return "";
    return when.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit",
                                            timeZone: "Europe/Amsterdam" });
  };
}

/**
 * The auth rule: UNAUTHORIZED (pair again), FORBIDDEN (valid token, not allowed), or null
 * (not an auth problem; a 403 about a badge is an answer about that badge).
 */
export function authProblem(status, data) {
  if (status === 401) return UNAUTHORIZED;
  if (status === 403) return data && data.error === "wrong_event" ? null : FORBIDDEN;
  return null;
}

/**
 * Calls to /api/v1/events/<slug>… with the device's bearer token.
 *
 *   const api = new DeviceApi({ slug, token, onNetwork, onAuth });
 *   const { status, data } = await api.json("POST", "/checkins", body);  // throws Offline
 *
 * onNetwork() runs when the network state changes (a request failed although
 * navigator.onLine said online, or the first answer after that); onAuth(problem) runs for
 * every answer the auth rule calls a problem, and onAuth(null) for every 2xx answer.
 */
export class DeviceApi {
  constructor({ slug, token, timeout = REQUEST_TIMEOUT_MS, onNetwork = () => {},
                onAuth = () => {} }) {
    this.base = `/api/v1/events/${encodeURIComponent(slug)}`;
    this.token = token;
    this.timeout = timeout;
    this.onNetwork = onNetwork;
    this.onAuth = onAuth;
    this.failed = false; // a request failed although navigator.onLine said online
  }

  /** Online as far as we know: the browser says so and the last request got through. */
  online() {
    return navigator.onLine && !this.failed;
  }

  /** The browser says the network is back: believe it until a request fails again. */
  networkBack() {
    this.failed = false;
  }

  /** The raw Response; throws Offline when there is no answer within `timeout` ms. */
  async call(method, path, body, timeout = this.timeout) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeout);
    let response;
    try {
      response = await fetch(this.base + path, {
        method,
        headers: {
          Authorization: `Bearer ${this.token}`,
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
        signal: controller.signal,
      });
    } catch (err) {
      this.failed = true;
      this.onNetwork();
      throw new Offline(String(err));
    } finally {
      clearTimeout(timer);
    }
    if (this.failed) {
      this.failed = false;
      this.onNetwork();
    }
    return response;
  }

  /** {status, data, auth}: data is the JSON answer (null when empty or not JSON), auth the
   *  auth rule's verdict (null: none). */
  async json(method, path, body, timeout = this.timeout) {
    const response = await this.call(method, path, body, timeout);
    let data = null;
    try {
      data = await response.json();
    } catch { /* empty or not JSON */ }
    const auth = this.checkAuth(response.status, data);
    return { status: response.status, data, auth };
  }

  /** A file (export, QR image) as a Blob; throws Offline, or Error(detail) when refused. */
  async blob(path, timeout = 30_000) {
    if (!navigator.onLine) throw new Offline();
    const response = await this.call("GET", path, undefined, timeout);
    if (!response.ok) {
      let data = null;
      try {
        data = await response.json();
      } catch { /* not JSON */ }
      this.checkAuth(response.status, data);
      throw new Error((data && data.detail) || String(response.status));
    }
    return response.blob();
  }

  checkAuth(status, data) {
    const auth = authProblem(status, data);
    if (auth) this.onAuth(auth);
    else if (status >= 200 && status < 300) this.onAuth(null); // the token works (again)
    return auth;
  }
}
