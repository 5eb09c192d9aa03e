"""The back office's menus (templates/backoffice/_layout.html)."""

TEXTS: dict[str, tuple[str, str]] = {
    "bo.nav.label": ("Menu organisatie", "Organiser menu"),
    "bo.nav.home": ("Start", "Home"),
    "bo.nav.programmes": ("Programma's", "Programmes"),
    "bo.nav.events": ("Evenementen", "Events"),
    "bo.nav.organisations": ("Werkgevers", "Employers"),
    "bo.nav.accounts": ("Accounts", "Accounts"),
    "bo.nav.event_label": ("Menu van {name}", "Menu of {name}"),
    "bo.nav.event.details": ("Gegevens", "Details"),
    "bo.nav.event.questions": ("Vragen", "Questions"),
    "bo.nav.event.employers": ("Werkgevers", "Employers"),
    "bo.nav.event.registrations": ("Aanmeldingen", "Registrations"),
    "bo.nav.event.matching": ("Matchingsdag", "Matching day"),
    "bo.nav.event.badges": ("Badges", "Badges"),
    "bo.nav.event.devices": ("Apparaten", "Devices"),
    "bo.nav.event.dashboard": ("Live", "Live"),
    "bo.nav.event.reports": ("Rapport", "Report"),
}
