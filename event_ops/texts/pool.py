"""The candidate pool (issue 18): the visitor's consent and choices, contact requests, the
coach acting for a client, the organisers' figures. ``pool.`` keys."""

TEXTS: dict[str, tuple[str, str]] = {
    # -- errors (app/errors.py)
    "pool.err.not_found": ("Dit bestaat niet (meer).", "This does not exist (any more)."),
    "pool.err.request_open": (
        "Jullie hebben deze persoon al om contact gevraagd.",
        "Your organisation already asked this person for contact."),
    "pool.err.request_closed": (
        "Op deze vraag kun je niet meer antwoorden.",
        "This request can no longer be answered."),
    "pool.err.bad_request": ("Controleer wat je hebt ingevuld.", "Check what you filled in."),
    "pool.err.bad_choice": ("Controleer je keuzes.", "Check your choices."),
    "pool.err.number": ("Vul een getal in dat past.", "Fill in a number that fits."),
    "pool.err.hours_order": ("Het maximum is kleiner dan het minimum.",
                             "The maximum is smaller than the minimum."),
    "pool.err.date": ("Vul een datum in.", "Fill in a date."),
    "pool.err.months": ("Kies 3, 6 of 12 maanden.", "Choose 3, 6 or 12 months."),
    "pool.err.share_fields": ("Kies minstens één gegeven dat een werkgever krijgt.",
                              "Choose at least one detail an employer gets."),
    "pool.err.consent": ("Zet een vinkje als je dit wilt.", "Tick the box if you want this."),
}
