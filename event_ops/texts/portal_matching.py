"""Matching days in the employer portal (issue 18): whom an employer wants to meet, and
their timetable (templates/employer_matching*.html). Dutch at B1 level first."""

TEXTS: dict[str, tuple[str, str]] = {
    "pmatch.err.candidate_not_found": (
        "Deze kandidaat staat niet (meer) op je lijst. Laad de pagina opnieuw.",
        "This candidate is not on your list (any more). Load the page again."),
    "pmatch.link": ("Wie wil je spreken op de matchingsdag?",
                    "Whom do you want to meet on the matching day?"),
    "pmatch.title": ("Matchingsdag: {event}", "Matching day: {event}"),
    "pmatch.back": ("Terug naar je werkgeverspagina", "Back to your employer page"),
    "pmatch.refused": ("Niet opgeslagen", "Not saved"),
    "pmatch.saved": ("Je keuzes zijn opgeslagen.", "Your choices are saved."),
    "pmatch.schedule.heading": ("Jouw rooster", "Your timetable"),
    "pmatch.schedule.none": (
        "Het rooster is nog niet klaar. De organisatie maakt het rooster en zet het hier.",
        "The timetable is not ready yet. The organisers make it and put it here."),
    "pmatch.schedule.caption": ("Je gesprekken (tijden in Nederlandse tijd)",
                                "Your meetings (times in Dutch time)"),
    "pmatch.col.time": ("Tijd", "Time"),
    "pmatch.col.table": ("Tafel", "Table"),
    "pmatch.col.candidate": ("Kandidaat", "Candidate"),
    "pmatch.print": ("Rooster afdrukken (A4)", "Print the timetable (A4)"),
    "pmatch.ics": ("Zet het rooster in je agenda (.ics)",
                   "Add the timetable to your calendar (.ics)"),
    "pmatch.print.title": ("Rooster {event}", "Timetable {event}"),
    "pmatch.print.button": ("Afdrukken", "Print"),
    "pmatch.print.back": ("Terug naar de matchingsdag", "Back to the matching day"),
    "pmatch.wishes.heading": ("Wie wil je spreken?", "Whom do you want to meet?"),
    "pmatch.wishes.intro": (
        "Deze werkzoekenden passen bij je vacatures. Zij willen hun profiel delen. Je ziet "
        "geen naam en geen contactgegevens: alleen een code. Kies met wie je wilt praten. "
        "De organisatie maakt daarna het rooster.",
        "These job seekers fit your vacancies. They agreed to share their profile. You see "
        "no name and no contact details: only a code. Choose whom you want to talk to. The "
        "organisers then make the timetable."),
    "pmatch.wishes.after_publish": (
        "Het rooster is al klaar. Verander je je keuzes? Dan tellen ze pas als de organisatie "
        "het rooster opnieuw maakt.",
        "The timetable is ready. If you change your choices, they only count when the "
        "organisers make the timetable again."),
    "pmatch.wishes.none": (
        "Er zijn nog geen werkzoekenden die bij je vacatures passen.",
        "There are no job seekers yet who fit your vacancies."),
    "pmatch.candidate": ("Kandidaat {code}", "Candidate {code}"),
    "pmatch.fit": ("past {n}%", "fits {n}%"),
    "pmatch.competencies": ("Vaardigheden", "Skills"),
    "pmatch.level": ("niveau {n}", "level {n}"),
    "pmatch.education": ("Opleiding", "Education"),
    "pmatch.availability": ("Kan werken", "Can work"),
    "pmatch.distance": ("Afstand", "Distance"),
    "pmatch.km": ("ongeveer {km} km", "about {km} km"),
    "pmatch.km.near": ("minder dan 1 km", "less than 1 km"),
    "pmatch.unknown": ("niet bekend", "not known"),
    "pmatch.why.vacancy": ("Past het best bij: {title} ({n}%)", "Fits best: {title} ({n}%)"),
    "pmatch.why.matched": ("Heeft", "Has"),
    "pmatch.why.partial": ("Heeft, maar op een lager niveau", "Has, at a lower level"),
    "pmatch.why.missing": ("Mist", "Misses"),
    "pmatch.choice.must": ("Wil ik zeker spreken", "I must meet them"),
    "pmatch.choice.happy": ("Graag", "Happy to meet"),
    "pmatch.choice.no": ("Liever niet", "Rather not"),
    "pmatch.choice.none": ("Geen keuze", "No choice"),
    "pmatch.withdrawn": (
        "Deze kandidaat deelt het profiel niet meer. Je kunt je keuze alleen weghalen.",
        "This candidate no longer shares their profile. You can only take your choice back."),
    "pmatch.save": ("Keuzes opslaan", "Save choices"),
}
