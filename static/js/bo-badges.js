// The bulk badge page (templates/backoffice/badges.html): moves the progress bar by
// polling the run's status (GET, with the session cookie) and reloads the page when the
// job is done or failed, so the download link and the list show. Without this script the
// page reloads itself (<noscript> refresh).
const box = document.getElementById("print-run");
const ACTIVE = new Set(["queued", "running"]);

async function poll() {
  let run;
  try {
    const answer = await fetch(box.dataset.statusUrl, {headers: {Accept: "application/json"}});
    if (!answer.ok) throw new Error(String(answer.status));
    run = await answer.json();
  } catch {
    setTimeout(poll, 3000);  // offline or a restart: try again a little later
    return;
  }
  const bar = document.getElementById("print-progress");
  bar.max = run.total || 1;
  bar.value = run.done;
  bar.textContent = `${run.percent}%`;
  const count = document.getElementById("print-count");
  count.textContent = count.dataset.template
    .replace("{done}", String(run.done)).replace("{total}", String(run.total));
  if (ACTIVE.has(run.status)) {
    setTimeout(poll, 1000);
  } else {
    window.location.reload();
  }
}

if (box && ACTIVE.has(box.dataset.status)) {
  setTimeout(poll, 500);
}
