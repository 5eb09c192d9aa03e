"""Texts of the organiser's start page (/organiser) that lead into the back office."""

TEXTS: dict[str, tuple[str, str]] = {
    "organiser.manage": ("Beheer", "Manage"),
    "organiser.link.manage_event": ("Evenement beheren", "Manage event"),
    "organiser.no_events_admin": (
        "Er zijn nog geen evenementen. Maak het eerste evenement.",
        "There are no events yet. Create the first event.",
    ),
}
