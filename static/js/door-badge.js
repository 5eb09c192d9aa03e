// The desk's "badge ready" panel on the door page: after a walk-in sign-up or a new badge
// for someone who lost theirs, open the badge or send it to a print station.
//
// The panel shows the first name only; the badge link is kept in the link's href while the
// panel is open and is gone with the next walk-in. The chosen station and label type are
// remembered on this device (no personal data): "eventops.desk.print".

const CHOICE_KEY = "eventops.desk.print";

export class BadgePanel {
  constructor({ api, tr, $ }) {
    this.api = api;
    this.tr = tr;
    this.$ = $;
    this.registrationId = null;
    this.loaded = false;
    $("badge-print-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.print();
    });
  }

  /** Show the panel for a registration: `badgeUrl` null means the badge goes by mail. */
  async show(registrationId, firstName, badgeUrl, message) {
    const $ = this.$;
    this.registrationId = badgeUrl ? registrationId : null;
    $("badge-ready").hidden = false;
    $("badge-message").textContent = badgeUrl
      ? (message || this.tr("door.badge.ready", { name: firstName }))
      : this.tr("door.badge.by_mail");
    $("badge-print-message").textContent = "";
    const open = $("badge-open");
    open.hidden = !badgeUrl;
    open.href = badgeUrl || "#";
    $("badge-print-form").hidden = true;
    if (badgeUrl) await this.loadStations();
  }

  hide() {
    this.$("badge-ready").hidden = true;
    this.$("badge-open").href = "#";
    this.registrationId = null;
  }

  async loadStations() {
    const $ = this.$;
    let r;
    try {
      r = await this.api("GET", `/print/stations?lang=${document.documentElement.lang}`);
    } catch {
      return;
    }
    if (r.status !== 200) return;
    const { stations, formats, default_format: fallback } = r.data;
    if (!stations.length) {
      $("badge-print-message").textContent = this.tr("door.badge.no_stations");
      return;
    }
    const saved = JSON.parse(localStorage.getItem(CHOICE_KEY) || "{}");
    fill($("badge-station"), stations.map((s) => [String(s.id), s.label]), String(saved.station));
    fill($("badge-format"), formats.map((f) => [f.code, f.name]), saved.format || fallback);
    $("badge-print-form").hidden = false;
  }

  async print() {
    const $ = this.$;
    if (!this.registrationId) return;
    const station = Number($("badge-station").value);
    const format = $("badge-format").value;
    localStorage.setItem(CHOICE_KEY, JSON.stringify({ station, format }));
    const message = $("badge-print-message");
    let r;
    try {
      r = await this.api("POST", "/print", { registration_id: this.registrationId, station,
                                             format });
    } catch {
      message.textContent = this.tr("door.badge.failed", { detail: this.tr("door.search.offline") });
      return;
    }
    message.textContent = r.status === 201
      ? this.tr("door.badge.sent", { station: r.data.station_label })
      : this.tr("door.badge.failed", { detail: (r.data && r.data.detail) || r.status });
  }
}

function fill(select, options, chosen) {
  select.replaceChildren(...options.map(([value, label]) => {
    const option = document.createElement("option");
    option.value = value;
    option.textContent = label;
    option.selected = value === chosen;
    return option;
  }));
}
