"""Dutch first, English second. Texts are written for B1 reading level: short, plain words.

``t(key, lang)`` looks a text up; a missing key shows itself, so gaps are easy to spot.
Domain errors carry an English ``message`` for the API; pages translate their ``code``.
"""

from __future__ import annotations

LANGUAGES = ("nl", "en")

TEXTS: dict[str, tuple[str, str]] = {
    # -- general
    "site.title": ("Werkfestival en matchingsdagen", "Job festival and matching days"),
    "lang.switch": ("English", "Nederlands"),
    "nav.events": ("Evenementen", "Events"),
    "nav.skip": ("Naar de inhoud", "Skip to content"),
    "events.heading": ("Kom naar een evenement", "Come to an event"),
    "events.intro": (
        "Meld je aan. Je maakt een profiel met wat je kunt. Werkgevers zien alleen wat jij kiest.",
        "Sign up. You make a profile with what you can do. Employers only see what you choose.",
    ),
    "events.none": ("Er zijn nu geen evenementen.", "There are no events right now."),
    "event.kind.festival": ("Festival", "Festival"),
    "event.kind.matching": ("Matchingsdag", "Matching day"),
    "event.when": ("Wanneer", "When"),
    "event.where": ("Waar", "Where"),
    "event.places_left": ("Nog {n} plekken vrij", "{n} places left"),
    "event.full": (
        "Vol. Je kunt je nog aanmelden voor de wachtlijst.",
        "Full. You can still join the waiting list.",
    ),
    "event.register": ("Aanmelden", "Sign up"),
    # -- registration form
    "form.heading": ("Aanmelden voor {event}", "Sign up for {event}"),
    "form.required_note": ("Velden met * zijn verplicht.", "Fields marked * are required."),
    "form.errors_heading": ("Controleer deze velden:", "Please check these fields:"),
    "field.name": ("Naam", "Name"),
    "field.email": ("E-mailadres", "E-mail address"),
    "field.phone": ("Telefoonnummer", "Phone number"),
    "field.phone.hint": ("Bijvoorbeeld 06 12345678", "For example 06 12345678"),
    "field.postcode": ("Postcode", "Postcode"),
    "field.postcode.hint": (
        "Zo kunnen we werk dichtbij voorstellen.", "So we can suggest work close by."
    ),
    "field.sectors": ("In welke sectoren wil je werken?", "Which sectors do you want to work in?"),
    "field.competencies": ("Wat kun je?", "What can you do?"),
    "field.competencies.hint": (
        "Zoek en kies wat je kunt. Kies ook hoe goed je het kunt.",
        "Search and choose what you can do. Also choose how well you can do it.",
    ),
    "field.competencies.search": ("Zoek een vaardigheid", "Search a skill"),
    "field.education_level": ("Hoogste opleiding", "Highest education"),
    "field.availability": ("Wanneer kun je werken?", "When can you work?"),
    "field.language": ("Taal voor e-mail", "Language for e-mail"),
    "field.consent_terms": (
        "Ik ga akkoord met de voorwaarden en het privacybeleid.",
        "I agree to the terms and the privacy policy.",
    ),
    "field.consent_share_profile": (
        "Werkgevers mogen mijn naam, e-mail, telefoon en profiel zien.",
        "Employers may see my name, e-mail, phone and profile.",
    ),
    "field.consent_share_profile.hint": (
        "Als je dit niet kiest, zien werkgevers alleen je voornaam en wat je kunt. "
        "Niet je achternaam, e-mail of telefoon. Je kunt dit later altijd veranderen.",
        "If you do not choose this, employers only see your first name and what you can do. "
        "Not your last name, e-mail or phone. You can always change this later.",
    ),
    "level.1": ("Beginner", "Beginner"),
    "level.2": ("Basis", "Basic"),
    "level.3": ("Goed", "Good"),
    "level.4": ("Expert", "Expert"),
    "edu.none": ("Geen diploma", "No diploma"),
    "edu.vmbo": ("Vmbo", "Pre-vocational (vmbo)"),
    "edu.mbo1": ("Mbo 1", "Vocational level 1 (mbo 1)"),
    "edu.mbo2": ("Mbo 2", "Vocational level 2 (mbo 2)"),
    "edu.mbo3": ("Mbo 3", "Vocational level 3 (mbo 3)"),
    "edu.mbo4": ("Mbo 4", "Vocational level 4 (mbo 4)"),
    "edu.havo_vwo": ("Havo of vwo", "Secondary school (havo/vwo)"),
    "edu.hbo": ("Hbo", "University of applied sciences (hbo)"),
    "edu.wo": ("Universiteit (wo)", "University (wo)"),
    "edu.foreign": ("Diploma uit het buitenland", "Diploma from abroad"),
    "avail.fulltime": ("Fulltime", "Full-time"),
    "avail.parttime": ("Parttime", "Part-time"),
    "avail.evenings": ("'s Avonds", "Evenings"),
    "avail.weekends": ("In het weekend", "Weekends"),
    "avail.shifts": ("In ploegen", "Shifts"),
    "form.submit": ("Aanmelden", "Sign up"),
    "form.choose": ("Kies…", "Choose…"),
    # -- validation messages (field errors)
    "err.required": ("Vul dit in.", "Please fill this in."),
    "err.name_length": ("Een naam heeft 2 tot 200 tekens.", "A name has 2 to 200 characters."),
    "err.email": (
        "Dit is geen goed e-mailadres. Bijvoorbeeld: naam@voorbeeld.nl",
        "This is not a valid e-mail address. For example: name@example.com",
    ),
    "err.phone": (
        "Dit is geen goed telefoonnummer. Bijvoorbeeld: 06 12345678",
        "This is not a valid phone number. For example: +31 6 12345678",
    ),
    "err.postcode": (
        "Dit is geen Nederlandse postcode. Bijvoorbeeld: 9712 AB",
        "This is not a Dutch postcode. For example: 9712 AB",
    ),
    "err.competency_unknown": ("Deze vaardigheid kennen we niet.", "We do not know this skill."),
    "err.competency_level": ("Kies een niveau van 1 tot 4.", "Choose a level from 1 to 4."),
    "err.too_many": ("Je hebt te veel gekozen.", "You chose too many."),
    "err.sector_unknown": ("Kies een sector uit de lijst.", "Choose a sector from the list."),
    "err.choice": ("Kies iets uit de lijst.", "Choose something from the list."),
    "err.consent_terms": (
        "Je moet akkoord gaan met de voorwaarden om je aan te melden.",
        "You must agree to the terms to sign up.",
    ),
    "err.language": ("Kies Nederlands of Engels.", "Choose Dutch or English."),
    # -- domain errors shown on pages
    "error.already_registered": (
        "Je bent al aangemeld voor dit evenement. We hebben de bevestiging opnieuw gestuurd.",
        "You are already signed up for this event. We sent the confirmation again.",
    ),
    "error.event_not_found": ("Dit evenement bestaat niet.", "This event does not exist."),
    "error.event_over": ("Dit evenement is voorbij.", "This event is over."),
    "error.link_invalid": (
        "Deze link werkt niet (meer). Vraag een nieuwe link aan.",
        "This link does not work (any more). Ask for a new link.",
    ),
    "error.rate_limited": (
        "Te veel pogingen. Wacht een minuut en probeer het opnieuw.",
        "Too many tries. Wait a minute and try again.",
    ),
    "error.generic": (
        "Er ging iets mis. Probeer het opnieuw.", "Something went wrong. Please try again."
    ),
    # -- confirmation page
    "done.heading.registered": ("Je bent aangemeld!", "You are signed up!"),
    "done.heading.waiting_list": ("Je staat op de wachtlijst", "You are on the waiting list"),
    "done.waiting_position": (
        "Je bent nummer {n} op de wachtlijst. We mailen je als er een plek vrij komt.",
        "You are number {n} on the waiting list. We will e-mail you when a place opens up.",
    ),
    "done.mail_sent": (
        "We sturen een e-mail naar {email} met alle informatie en een link naar je eigen pagina.",
        "We are sending an e-mail to {email} with all the details and a link to your own page.",
    ),
    "done.badge": ("Bekijk je badge", "View your badge"),
    "done.my_page": ("Naar je eigen pagina", "Go to your own page"),
    # -- visitor page
    "me.heading": ("Jouw gegevens", "Your details"),
    "me.intro": (
        "Dit is jouw pagina. Deel de link niet met anderen.",
        "This is your page. Do not share the link with others.",
    ),
    "me.registrations": ("Jouw aanmeldingen", "Your sign-ups"),
    "me.status.registered": ("Aangemeld", "Signed up"),
    "me.status.waiting_list": ("Wachtlijst, nummer {n}", "Waiting list, number {n}"),
    "me.status.cancelled": ("Afgemeld", "Cancelled"),
    "me.save": ("Opslaan", "Save"),
    "me.saved": ("Je gegevens zijn opgeslagen.", "Your details are saved."),
    "me.cancel": ("Afmelden voor dit evenement", "Cancel for this event"),
    "me.cancelled": ("Je bent afgemeld.", "You have cancelled."),
    "me.cancel_confirm": (
        "Weet je het zeker? Je plek gaat naar iemand op de wachtlijst.",
        "Are you sure? Your place goes to someone on the waiting list.",
    ),
    "me.badge_soon": (
        "Je badge met QR-code komt hier. Je krijgt hem ook per e-mail.",
        "Your badge with QR code will be here. You also get it by e-mail.",
    ),
    # -- privacy on the visitor page
    "me.privacy": ("Jouw gegevens en privacy", "Your data and privacy"),
    "me.export": (
        "Download alles wat we van je weten (JSON)", "Download everything we hold (JSON)"
    ),
    "me.export_page": ("Bekijk alles wat we van je weten", "See everything we hold about you"),
    "me.erase": ("Verwijder mijn gegevens", "Delete my data"),
    "me.erase_hint": (
        "We verwijderen je naam, contactgegevens en profiel. Je aanmeldingen worden "
        "afgemeld. Dit kan niet ongedaan worden gemaakt.",
        "We delete your name, contact details and profile. Your sign-ups are cancelled. "
        "This cannot be undone.",
    ),
    "me.erase_confirm": ("Ja, verwijder mijn gegevens", "Yes, delete my data"),
    "me.erase_confirm_needed": (
        "Vink eerst aan dat je je gegevens echt wilt verwijderen.",
        "First tick the box to confirm you really want to delete your data.",
    ),
    "me.erased": ("Je gegevens zijn verwijderd.", "Your data has been deleted."),
    "export.heading": ("Alles wat we van je weten", "Everything we hold about you"),
    # -- visitor at a stand
    "stand.label": ("stand", "stand"),
    "stand.question": (
        "Wil je dat {employer} weet dat je interesse hebt?",
        "Do you want {employer} to know you are interested?",
    ),
    "stand.yes": ("Ja, ik heb interesse", "Yes, I am interested"),
    "stand.saved": (
        "Opgeslagen: {employer} ziet dat je interesse hebt.",
        "Saved: {employer} can see that you are interested.",
    ),
    "stand.mutual": (
        "Goed nieuws: deze werkgever heeft ook interesse in jou!",
        "Good news: this employer is interested in you too!",
    ),
    "stand.open_link_first": (
        "Open eerst de link uit je bevestigingsmail op deze telefoon. Scan daarna de QR-code "
        "opnieuw.",
        "First open the link from your confirmation e-mail on this phone. Then scan the QR "
        "code again.",
    ),
    "stand.not_registered": (
        "Je bent niet aangemeld voor het evenement van deze stand.",
        "You are not signed up for the event of this stand.",
    ),
    # -- mail
    "mail.subject": ("Je aanmelding voor {event}", "Your sign-up for {event}"),
    "mail.hello": ("Hallo {name},", "Hello {name},"),
    "mail.registered": (
        "Je bent aangemeld voor {event}.", "You are signed up for {event}."
    ),
    "mail.waiting_list": (
        "{event} is vol. Je staat op de wachtlijst op nummer {n}. "
        "We mailen je als er een plek vrij komt.",
        "{event} is full. You are on the waiting list at number {n}. "
        "We will e-mail you when a place opens up.",
    ),
    "mail.when_where": ("Wanneer: {when}\nWaar: {where}", "When: {when}\nWhere: {where}"),
    "mail.badge": ("Je badge: {url}", "Your badge: {url}"),
    "mail.my_page": (
        "Je gegevens bekijken of veranderen, of afmelden: {url}",
        "View or change your details, or cancel: {url}",
    ),
    "mail.bye": ("Tot dan!", "See you there!"),
    "mail.calendar": (
        "In de bijlage zit een afspraak voor je agenda.",
        "Attached is an appointment for your calendar.",
    ),
    # -- device pairing page
    "pair.title": ("Apparaat koppelen", "Pair this device"),
    "pair.intro": (
        "Scan de koppel-QR-code van de organisatie met de camera van dit apparaat.",
        "Scan the pairing QR code from the organisers with the camera of this device.",
    ),
    "pair.working": ("Bezig met koppelen…", "Pairing…"),
    "pair.done": ("Gekoppeld als {label}. Even geduld…", "Paired as {label}. One moment…"),
    "pair.failed": (
        "Koppelen lukt niet. De code is al gebruikt of verlopen. "
        "Vraag de organisatie om een nieuwe QR-code.",
        "Pairing did not work. The code was used already or has expired. "
        "Ask the organisers for a new QR code.",
    ),
    "pair.offline": (
        "Geen internet. Koppelen kan alleen met internet. Probeer het zo opnieuw.",
        "No internet. Pairing needs the internet. Try again in a moment.",
    ),
    "pair.manual.heading": ("Of plak een toegangscode", "Or paste an access code"),
    "pair.manual.hint": (
        "Een beheerder maakt deze code met: eventops token create",
        "An administrator makes this code with: eventops token create",
    ),
    "pair.manual.token": ("Toegangscode", "Access code"),
    "pair.manual.event": (
        "Evenement (de code uit de link, bijvoorbeeld werkfestival)",
        "Event (the code from the link, for example werkfestival)",
    ),
    "pair.manual.role": ("Waarvoor is dit apparaat?", "What is this device for?"),
    "pair.manual.label": (
        "Naam van dit apparaat, bijvoorbeeld Deur Noord",
        "Name of this device, for example Door North",
    ),
    "pair.manual.submit": ("Opslaan en verder", "Save and continue"),
    "pair.role.door": ("Deur (inchecken)", "Door (check-in)"),
    "pair.role.organiser": ("Organisatie (dashboard)", "Organisers (dashboard)"),
    "pair.role.employer": ("Werkgever (stand)", "Employer (stand)"),
    # -- door scanner page
    "door.title": ("Deur: {event}", "Door: {event}"),
    "door.device": ("Dit apparaat: {label}", "This device: {label}"),
    "door.count.door": ("Binnen via deze deur", "In through this door"),
    "door.count.total": ("Totaal binnen", "Total in"),
    "door.camera.start": ("Camera aan", "Camera on"),
    "door.camera.stop": ("Camera uit", "Camera off"),
    "door.camera.hint": (
        "Houd de QR-code op de badge voor de camera.",
        "Hold the QR code on the badge in front of the camera.",
    ),
    "door.camera.error": (
        "De camera werkt niet. Gebruik het tekstveld of een handscanner.",
        "The camera does not work. Use the text field or a hand scanner.",
    ),
    "door.code.label": ("Badgecode", "Badge code"),
    "door.code.hint": (
        "Een handscanner vult de code hier in. Of typ de code en druk op Enter.",
        "A hand scanner fills in the code here. Or type the code and press Enter.",
    ),
    "door.code.submit": ("Controleren", "Check"),
    "door.ready": ("Klaar om te scannen", "Ready to scan"),
    "door.r.ok": ("Welkom, {name}!", "Welcome, {name}!"),
    "door.r.ok_noname": ("Badge is goed. Welkom!", "Badge is good. Welcome!"),
    "door.r.ok_offline": (
        "Badge is goed (offline gecontroleerd). Welkom!",
        "Badge is good (checked offline). Welcome!",
    ),
    "door.r.already": ("{name} is al binnen", "{name} is already in"),
    "door.r.already_noname": ("Deze badge is al gebruikt", "This badge was used already"),
    "door.r.already_detail": (
        "Eerste keer: {time} bij {door}.", "First time: {time} at {door}."
    ),
    "door.r.already_local": (
        "Al gescand op dit apparaat om {time}.", "Scanned on this device already at {time}."
    ),
    "door.r.invalid": ("Geen geldige badge", "Not a valid badge"),
    "door.r.unknown": ("Onbekende badge", "Unknown badge"),
    "door.r.wrong_event": ("Badge voor een ander evenement", "Badge for another event"),
    "door.r.revoked": ("Badge is niet meer geldig", "Badge is no longer valid"),
    "door.r.not_open": ("Inchecken is nu niet open", "Check-in is not open now"),
    "door.r.nokeys": (
        "Offline: deze badge kan nu niet gecontroleerd worden",
        "Offline: this badge cannot be checked now",
    ),
    "door.r.help": (
        "Stuur de bezoeker naar de infobalie.", "Send the visitor to the information desk."
    ),
    "door.r.queued": (
        "Wordt verstuurd zodra er weer internet is.", "Will be sent when the internet is back."
    ),
    "door.r.error": ("Er ging iets mis: {detail}", "Something went wrong: {detail}"),
    "door.undo": ("Laatste check-in ongedaan maken", "Undo last check-in"),
    "door.undone": ("Check-in van {name} is ongedaan gemaakt.", "Check-in of {name} is undone."),
    "door.undo_failed": ("Ongedaan maken lukt niet: {detail}", "Could not undo: {detail}"),
    "door.online": ("Online", "Online"),
    "door.offline": (
        "Offline. Scans worden bewaard op dit apparaat.",
        "Offline. Scans are kept on this device.",
    ),
    "door.pending": ("{n} wachten op verzending", "{n} waiting to be sent"),
    "door.synced": ("Alles is verstuurd.", "Everything has been sent."),
    "door.syncing": ("Bezig met versturen…", "Sending…"),
    "door.sync_problems": (
        "{n} offline scans waren niet goed of dubbel. Kijk op het dashboard.",
        "{n} offline scans were not valid or double. Check the dashboard.",
    ),
    "door.keys_time": (
        "Badgesleutels bijgewerkt om {time}.", "Badge keys updated at {time}."
    ),
    "door.keys_missing": (
        "Nog geen badgesleutels. Offline controleren kan pas met internet.",
        "No badge keys yet. Checking offline needs the internet first.",
    ),
    "door.unauthorized": (
        "De toegangscode werkt niet (meer). Koppel dit apparaat opnieuw.",
        "The access code does not work (any more). Pair this device again.",
    ),
    "door.search.heading": ("Geen badge? Zoek op naam", "No badge? Search by name"),
    "door.search.label": ("Naam (minstens 2 letters)", "Name (at least 2 letters)"),
    "door.search.submit": ("Zoeken", "Search"),
    "door.search.none": ("Niemand gevonden.", "Nobody found."),
    "door.search.offline": ("Zoeken kan alleen met internet.", "Searching needs the internet."),
    "door.search.checkin": ("Inchecken", "Check in"),
    "door.search.checkin_name": ("{name} inchecken", "Check in {name}"),
    "door.search.in": ("Al binnen: {time}, {door}", "Already in: {time}, {door}"),
    "door.search.waiting_list": ("Op de wachtlijst", "On the waiting list"),
    "door.walkin.heading": ("Nieuwe bezoeker aanmelden", "Register a new visitor"),
    "door.walkin.hint": (
        "Laat de bezoeker dit zelf lezen. De bezoeker zet zelf het vinkje bij de voorwaarden.",
        "Let the visitor read this. The visitor ticks the box for the terms.",
    ),
    "door.walkin.submit": ("Aanmelden en inchecken", "Register and check in"),
    "door.walkin.waiting_list": (
        "Het evenement is vol. {name} staat op de wachtlijst.",
        "The event is full. {name} is on the waiting list.",
    ),
    "door.walkin.already": (
        "Dit e-mailadres is al aangemeld. Zoek de bezoeker op naam.",
        "This e-mail address is signed up already. Search the visitor by name.",
    ),
    "door.walkin.offline": (
        "Aanmelden kan alleen met internet.", "Registering needs the internet."
    ),
    "door.notpaired.heading": ("Dit apparaat is niet gekoppeld", "This device is not paired"),
    "door.notpaired.text": (
        "Scan de koppel-QR-code van de organisatie. Of plak hier een toegangscode.",
        "Scan the pairing QR code from the organisers. Or paste an access code here.",
    ),
    "door.token.label": ("Toegangscode", "Access code"),
    "door.token.door": ("Naam van de deur", "Name of the door"),
    "door.token.save": ("Opslaan", "Save"),
    "door.forget": ("Ontkoppel dit apparaat", "Unpair this device"),
    # -- live dashboard
    "dash.title": ("Dashboard: {event}", "Dashboard: {event}"),
    "dash.registered": ("Aangemeld", "Registered"),
    "dash.checked_in": ("Binnen", "Checked in"),
    "dash.by_door": ("Per deur", "Per door"),
    "dash.arrivals": (
        "Aankomsten per deur, per 5 minuten", "Arrivals per door, per 5 minutes"
    ),
    "dash.arrivals.none": ("Nog geen aankomsten.", "No arrivals yet."),
    "dash.arrivals.table": ("Cijfers als tabel", "Numbers as a table"),
    "dash.arrivals.time": ("Tijd", "Time"),
    "dash.feed": ("Laatste scans", "Latest scans"),
    "dash.feed.none": ("Nog geen scans.", "No scans yet."),
    "dash.failed": ("Mislukte scans", "Failed scans"),
    "dash.failed.none": ("Geen mislukte scans.", "No failed scans."),
    "dash.conflicts": ("Conflicten na offline scannen", "Conflicts after offline scanning"),
    "dash.conflicts.none": ("Geen conflicten.", "No conflicts."),
    "dash.conflict_item": (
        "Badge binnengelaten bij {door} om {time}, maar deze persoon was al binnen.",
        "Badge let in at {door} at {time}, but this person was already in.",
    ),
    "dash.live": ("Live verbonden", "Live"),
    "dash.reconnecting": (
        "Verbinding weg. Opnieuw verbinden…", "Connection lost. Reconnecting…"
    ),
    "dash.late": ("later verstuurd (offline)", "sent later (offline)"),
    "dash.unauthorized": (
        "De toegangscode werkt niet (meer). Koppel dit apparaat opnieuw.",
        "The access code does not work (any more). Pair this device again.",
    ),
    "scan.status.ok": ("Ingecheckt", "Checked in"),
    "scan.status.already_checked_in": ("Al binnen", "Already in"),
    "scan.status.invalid": ("Ongeldig", "Invalid"),
    "scan.status.unknown": ("Onbekend", "Unknown"),
    "scan.status.wrong_event": ("Ander evenement", "Other event"),
    "scan.status.revoked": ("Ingetrokken", "Revoked"),
    "scan.status.not_open": ("Niet open", "Not open"),
    "scan.status.undone": ("Ongedaan", "Undone"),
}


def t(key: str, lang: str = "nl", **values: object) -> str:
    pair = TEXTS.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**values) if values else text


def pick_language(requested: str | None, accept_language: str | None = None) -> str:
    if requested in LANGUAGES:
        return requested  # type: ignore[return-value]
    if accept_language and accept_language.lower().startswith("en"):
        return "en"
    return "nl"
