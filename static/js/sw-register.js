// Registers the offline shell (/sw.js, see sw.js) for the door scanner and the employer
// tablet, so that a reload without network still opens the page. Each kind of page gets its
// own scope (/door/ or /stand/): the worker never sees any other page of the site.
//
// Service workers need a secure context: https, or http://localhost / 127.0.0.1.

const AREAS = new Set(["door", "stand"]);
const area = location.pathname.split("/")[1];

if ("serviceWorker" in navigator && window.isSecureContext && AREAS.has(area)) {
  navigator.serviceWorker.register("/sw.js", { scope: `/${area}/` }).catch((err) => {
    // The page works without it; only a reload while offline will fail.
    console.warn("offline shell not installed", err);
  });
  // Ask the browser not to clear this site's storage (queued scans, keys, the shell) when
  // the disk fills up. Chromium decides without asking the user.
  if (navigator.storage && navigator.storage.persist) {
    navigator.storage.persist().catch(() => {});
  }
}
