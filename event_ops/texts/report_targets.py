"""Texts of the report's targets section (one event's share of a programme-wide target)."""

TEXTS: dict[str, tuple[str, str]] = {
    "report.target.shared_over": (
        "{targets}: het doel is voor {n} evenementen samen. Hier zie je 1/{n} daarvan.",
        "{targets}: the target is for {n} events together. Here you see 1/{n} of it.",
    ),
}
