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
