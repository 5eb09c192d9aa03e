"""Job coaches: signing a client up for an event, and the caseload with the coaches' notes.
``coach.`` texts are for coaches (staff); the form's field texts are the sign-up form's."""

TEXTS: dict[str, tuple[str, str]] = {
    # -- registering a client
    "coach.register.heading": ("Cliënt aanmelden voor {event}",
                               "Sign a client up for {event}"),
    "coach.register.intro": (
        "Je meldt iemand aan voor dit event. Een e-mailadres of telefoonnummer is niet nodig."
        " Zonder e-mailadres krijgt je cliënt geen mail: print de badge of geef de link mee.",
        "You sign someone up for this event. An e-mail address or phone number is not needed."
        " Without an e-mail address your client gets no mail: print the badge or hand over"
        " the link."),
    "coach.email.hint": ("Niet verplicht. Heeft je cliënt geen e-mail? Laat dit leeg.",
                         "Not required. Does your client have no e-mail? Leave this empty."),
    "coach.consent.heading": ("Toestemming", "Consent"),
    "coach.consent.terms": (
        "Mijn cliënt heeft mij toestemming gegeven voor de voorwaarden en de privacyverklaring."
        " Ik heb ze samen met mijn cliënt gelezen.",
        "My client gave me their consent to the terms and the privacy statement."
        " I read them with my client."),
    "coach.consent.recorded": (
        "We bewaren dat de toestemming aan jou is gegeven, vandaag, voor deze versie van de"
        " tekst.",
        "We keep that the consent was given to you, today, for this version of the text."),
    "coach.submit": ("Aanmelden", "Sign up"),
    "coach.already": (
        "Dit e-mailadres is al aangemeld voor dit event. We hebben de bevestiging opnieuw"
        " gestuurd.",
        "This e-mail address is already signed up for this event. We sent the confirmation"
        " again."),
    # -- after registering
    "coach.done.heading": ("{name} is aangemeld", "{name} is signed up"),
    "coach.done.waiting": ("{name} staat op de wachtlijst (plek {n}).",
                           "{name} is on the waiting list (place {n})."),
    "coach.done.mail": ("De bevestiging gaat per e-mail naar {email}.",
                        "The confirmation goes by e-mail to {email}."),
    "coach.done.no_mail": ("Je cliënt heeft geen e-mailadres opgegeven. Print de badge of geef"
                           " de link mee.",
                           "Your client gave no e-mail address. Print the badge or hand over"
                           " the link."),
    "coach.done.known": (
        "Dit e-mailadres kenden we al. De badge gaat alleen per e-mail naar dat adres.",
        "We knew this e-mail address already. The badge goes by e-mail to that address"
        " only."),
    "coach.done.print": ("Badge printen", "Print the badge"),
    "coach.done.handover": ("Link naar de badge (om mee te geven)",
                            "Link to the badge (to hand over)"),
    "coach.done.qr": ("Badge met QR-code", "Badge with QR code"),
    "coach.done.another": ("Nog iemand aanmelden", "Sign up someone else"),
    "coach.done.caseload": ("Naar mijn cliënten", "To my clients"),
    # -- caseload
    "coach.nav": ("Cliënt aanmelden", "Sign up a client"),
    "bo.nav.event.coach": ("Cliënt aanmelden", "Sign up a client"),
    "caseload.heading": ("Mijn cliënten", "My clients"),
    "caseload.intro": (
        "Hier zie je de cliënten die jij of je collega's van {organisation} hebben aangemeld."
        " Notities zien alleen coaches van {organisation}.",
        "Here you see the clients that you or your colleagues of {organisation} signed up."
        " Only coaches of {organisation} see the notes."),
    "caseload.intro_alone": (
        "Hier zie je de cliënten die jij hebt aangemeld. Alleen jij ziet je notities.",
        "Here you see the clients you signed up. Only you see your notes."),
    "caseload.events": ("Aanmelden voor een event", "Sign up for an event"),
    "caseload.no_events": ("Je bent nog niet aan een event gekoppeld.",
                           "You are not linked to an event yet."),
    "caseload.none": ("Je hebt nog geen cliënten.", "You have no clients yet."),
    "caseload.count": ("{n} cliënten", "{n} clients"),
    "caseload.summary": ("{events} events, {attended} keer geweest",
                         "{events} events, attended {attended}"),
    "caseload.col.event": ("Event", "Event"),
    "caseload.col.date": ("Datum", "Date"),
    "caseload.col.status": ("Status", "Status"),
    "caseload.col.attended": ("Geweest", "Attended"),
    "caseload.col.coach": ("Aangemeld door", "Signed up by"),
    "caseload.col.employer": ("Werkgever", "Employer"),
    "caseload.col.level": ("Soort", "Kind"),
    "caseload.col.followup": ("Opvolging", "Follow-up"),
    "caseload.events_caption": ("Events van {name}", "Events of {name}"),
    "caseload.matches_caption": ("Matches van {name}", "Matches of {name}"),
    "caseload.interests": ("Interesse van werkgevers", "Interest from employers"),
    "caseload.no_interests": ("Nog geen interesse van werkgevers.",
                              "No interest from employers yet."),
    "caseload.matches": ("Matches", "Matches"),
    "caseload.no_matches": ("Nog geen matches.", "No matches yet."),
    "caseload.notes": ("Notities", "Notes"),
    "caseload.no_notes": ("Nog geen notities.", "No notes yet."),
    "caseload.note.label": ("Nieuwe notitie over {name}", "New note about {name}"),
    "caseload.note.hint": ("Alleen coaches van je eigen organisatie zien dit.",
                           "Only coaches of your own organisation see this."),
    "caseload.note.save": ("Notitie opslaan", "Save note"),
    "caseload.note.saved": ("De notitie is opgeslagen.", "The note is saved."),
    "caseload.note.by": ("{name}, {when}", "{name}, {when}"),
    "coach.err.note_long": ("Maak de notitie korter (hoogstens 2000 tekens).",
                            "Make the note shorter (2,000 characters at most)."),
    "error.client_not_found": ("Deze persoon is niet een van je cliënten.",
                               "This person is not one of your clients."),
    "caseload.yes": ("ja", "yes"),
    # -- the visitor's own data export (B1)
    "export.channel.coach": ("Aan je jobcoach", "To your job coach"),
    "export.section.job_coach_notes": ("Notities van je jobcoach", "Notes of your job coach"),
    "export.key.body": ("Notitie", "Note"),
    "export.key.organisation": ("Organisatie", "Organisation"),
    "caseload.no": ("nee", "no"),
}
