// The offline shell of the door scanner (/door/<event>) and the employer tablet
// (/stand/<event>): with it, a reload or a browser restart without network still opens the
// page. Served at /sw.js by app/pages/offline.py, which puts one line in front of this file:
//   self.EVENTOPS_SW = {version, assets}
// version is a hash of this file and of every asset, so a deploy that changes any of them
// installs a new worker with a new cache; assets are the /static files the pages load.
//
// sw-register.js registers one worker per page kind, with scope /door/ or /stand/.
//
// What is stored (Cache Storage, cache "eventops-<door|stand>-<version>"):
//   - the listed /static files (cache first: they only change with the version);
//   - the page itself, /door/<event> or /stand/<event> (network first; the copy is used only
//     when the network is down or too slow). It holds the event's name and the page texts,
//     nothing about visitors: the device token is in localStorage, the badge keys, the
//     revocation list and the queued scans are in IndexedDB (offline-queue.js), and those
//     survive a reload by themselves.
// What is never stored: anything else. API answers (visitor cards, lists, keys), exports,
// the stand QR code, /me/ pages and web sockets go straight to the network. Only GET
// requests for the exact URLs above are ever answered from, or written to, the cache.

const { version: VERSION, assets: ASSETS } = self.EVENTOPS_SW;

const SCOPE = new URL(self.registration.scope).pathname; // "/door/" or "/stand/"
const PREFIX = `eventops-${SCOPE.replace(/\//g, "") || "shell"}-`;
const CACHE = PREFIX + VERSION;
const ASSET_PATHS = new Set(ASSETS);
const PAGE = /^\/(door|stand)\/[^/]+$/;
// A door on a bad connection should not wait long for a page it already has.
const PAGE_TIMEOUT_MS = 4000;

function isPage(url) {
  return url.origin === self.location.origin && PAGE.test(url.pathname)
    && url.pathname.startsWith(SCOPE);
}

function storable(response) {
  return response.ok && response.type === "basic" && !response.redirected;
}

function isHtml(response) {
  return (response.headers.get("Content-Type") || "").startsWith("text/html");
}

/** The pages to keep in the new cache: the ones open now, and the ones the old cache had. */
async function pagesToKeep() {
  const urls = new Set();
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const client of windows) {
    const url = new URL(client.url);
    url.hash = "";
    if (isPage(url)) urls.add(url.href);
  }
  const old = new Map();
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      if (isPage(new URL(request.url))) {
        urls.add(request.url);
        old.set(request.url, cache);
      }
    }
  }
  return { urls, old };
}

async function keepPages(cache) {
  const { urls, old } = await pagesToKeep();
  await Promise.all([...urls].map(async (url) => {
    try {
      const response = await fetch(url, { cache: "no-store", credentials: "same-origin" });
      if (storable(response) && isHtml(response)) {
        await cache.put(url, response);
        return;
      }
    } catch { /* no network: fall back to the copy we had */ }
    const previous = old.has(url) ? await old.get(url).match(url) : undefined;
    if (previous) await cache.put(url, previous);
  }));
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // "reload": fetch past the HTTP cache, so the new cache never gets an old file.
    await cache.addAll(ASSETS.map((url) => new Request(url, { cache: "reload" })));
    await keepPages(cache);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    // Take over the page that registered us, so it works offline without a first reload.
    await self.clients.claim();
  })());
});

function timeout(ms) {
  return new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), ms));
}

/**
 * Network first. The stored copy when the network fails, takes too long, or answers with a
 * server error (a proxy's 502 while the app is down is as good as offline for a door).
 */
async function page(event) {
  const cache = await caches.open(CACHE);
  const network = fetch(event.request).then(async (response) => {
    // Not awaited: a full disk must not throw away the fresh page the network gave us.
    if (storable(response) && isHtml(response)) {
      cache.put(event.request, response.clone()).catch(() => {});
    }
    return response;
  });
  let answer = null;
  try {
    answer = await Promise.race([network, timeout(PAGE_TIMEOUT_MS)]);
    if (answer.status < 500) return answer;
  } catch { /* offline or slow: try the stored copy */ }
  const stored = await cache.match(event.request)
    // The same page in the other language is better than no page.
    || await cache.match(event.request, { ignoreSearch: true });
  if (stored) {
    event.waitUntil(network.then(() => {}, () => {})); // still refreshes the copy
    return stored;
  }
  return answer || network; // nothing stored: the browser shows what the network gives
}

/** Cache first: a listed file only changes with a new version (and so a new cache). */
async function asset(request) {
  const cache = await caches.open(CACHE);
  const stored = await cache.match(request);
  if (stored) return stored;
  const response = await fetch(request);
  if (storable(response)) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && isPage(url)) {
    event.respondWith(page(event));
  } else if (!url.search && ASSET_PATHS.has(url.pathname)) {
    event.respondWith(asset(request));
  }
  // Anything else is not ours to keep: no respondWith, so the browser fetches it as usual.
});
