// The dashboard's desk and printer counts (from the event's stats, like every number on
// the dashboard): walk-ins per desk, per print station what was printed, is waiting and
// failed, the whole queue and the failed prints.

const byName = (a, b) => a[0].localeCompare(b[0]);

export function renderDesks(stats, tr, $) {
  if (!stats || !$("walkins-by-desk")) return;
  const walkins = Object.entries(stats.walkins_by_desk || {}).sort(byName);
  $("walkins-none").hidden = walkins.length > 0;
  $("walkins-by-desk").replaceChildren(...walkins.map(([desk, n]) => {
    const li = document.createElement("li");
    const name = document.createElement("span");
    name.textContent = desk || "?";
    const count = document.createElement("strong");
    count.textContent = String(n);
    li.append(name, " ", count);
    return li;
  }));
  const stations = Object.entries(stats.prints_by_station || {}).sort(byName);
  $("prints-none").hidden = stations.length > 0;
  $("prints-by-station").replaceChildren(...stations.map(([station, c]) => {
    const li = document.createElement("li");
    li.textContent = tr("dash.station_line", { station: station || "?", done: c.done || 0,
                                               queued: c.queued || 0, failed: c.failed || 0 });
    if (c.failed) li.className = "has-failed";
    return li;
  }));
  $("stat-print-queue").textContent = String(stats.print_queue || 0);
  $("stat-prints-failed").textContent = String(stats.prints_failed || 0);
}
