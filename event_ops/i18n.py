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
    # -- organiser accounts (app/pages/account.py)
    "login.heading": ("Inloggen voor organisatoren", "Log in for organisers"),
    "login.intro": (
        "Voor organisatoren en jobcoaches. Bezoekers hoeven niet in te loggen: zij gebruiken "
        "de link in hun e-mail.",
        "For organisers and job coaches. Visitors do not log in: they use the link in their "
        "e-mail.",
    ),
    "login.password": ("Wachtwoord", "Password"),
    "login.code": ("Code uit je app", "Code from your app"),
    "login.code.hint": ("6 cijfers, bijvoorbeeld 123456", "6 digits, for example 123456"),
    "login.submit": ("Inloggen", "Log in"),
    "error.login_failed": (
        "Het e-mailadres of het wachtwoord klopt niet.",
        "The e-mail address or password is not right.",
    ),
    "error.totp_required": ("Vul de code uit je app in.", "Enter the code from your app."),
    "error.totp_failed": (
        "Deze code klopt niet. Probeer de nieuwste code.",
        "This code is not right. Try the newest code.",
    ),
    "error.account_locked": (
        "Te vaak een verkeerd wachtwoord. Wacht 15 minuten en probeer het opnieuw.",
        "Too many wrong passwords. Wait 15 minutes and try again.",
    ),
    "error.forbidden": ("Je mag deze pagina niet zien.", "You may not see this page."),
    "error.bad_request": ("Er ging iets mis. Begin opnieuw.", "Something went wrong. Start again."),
    "organiser.heading": ("Mijn evenementen", "My events"),
    "organiser.signed_in": ("Ingelogd als {name}", "Logged in as {name}"),
    "organiser.logout": ("Uitloggen", "Log out"),
    "organiser.events": ("Evenementen", "Events"),
    "organiser.no_events": (
        "Je hebt nog geen evenementen. Vraag een beheerder om je toe te voegen.",
        "You have no events yet. Ask an admin to add you.",
    ),
    "organiser.link.dashboard": ("Live overzicht", "Live dashboard"),
    "organiser.link.board": ("Matches opvolgen", "Follow up matches"),
    "organiser.link.reports": ("Cijfers", "Reports"),
    "organiser.link.schedule": ("Tafelplan", "Table plan"),
    "organiser.link.programme": ("Cijfers van alle evenementen", "Reports of all events"),
    "organiser.link.audit": ("Logboek: wie zag of deed wat", "Audit log: who saw or did what"),
    "organiser.security": ("Beveiliging", "Security"),
    "organiser.totp_on": (
        "Inloggen in twee stappen staat aan.", "Two-step login is on."
    ),
    "organiser.totp_setup": (
        "Zet inloggen in twee stappen aan (aangeraden)",
        "Turn on two-step login (recommended)",
    ),
    "role.organiser_admin": ("Beheerder", "Organiser admin"),
    "role.organiser_staff": ("Organisator", "Organiser staff"),
    "role.job_coach": ("Jobcoach", "Job coach"),
    "totp.heading": ("Inloggen in twee stappen", "Two-step login"),
    "totp.step1": (
        "Open een app voor inlogcodes op je telefoon, bijvoorbeeld een authenticator-app.",
        "Open an app for login codes on your phone, for example an authenticator app.",
    ),
    "totp.step2": ("Scan de QR-code met die app.", "Scan the QR code with that app."),
    "totp.step3": (
        "Vul de code in die de app laat zien.", "Enter the code that the app shows."
    ),
    "totp.qr_alt": ("QR-code voor je app", "QR code for your app"),
    "totp.manual": ("Lukt scannen niet? Typ deze sleutel in de app:",
                    "Can't scan? Type this key into the app:"),
    "totp.submit": ("Aanzetten", "Turn on"),
    "organiser.link.devices": ("Apparaten koppelen (deur, stand)", "Pair devices (door, stand)"),
    "devices.heading": ("Apparaten van {event}", "Devices of {event}"),
    "devices.new": ("Nieuw apparaat koppelen", "Pair a new device"),
    "devices.employer": ("Werkgever", "Employer"),
    "devices.employer.hint": ("Alleen voor een stand.", "Only for a stand."),
    "devices.pair": ("Maak een QR-code", "Make a QR code"),
    "devices.pairing.heading": ("QR-code voor {label}", "QR code for {label}"),
    "devices.pairing.scan": (
        "Scan deze code met de camera van het apparaat. De code werkt één keer.",
        "Scan this code with the device's camera. The code works once.",
    ),
    "devices.pairing.qr_alt": ("QR-code om het apparaat te koppelen",
                               "QR code to pair the device"),
    "devices.pairing.expires": ("Geldig tot {time}", "Valid until {time}"),
    "devices.pairing.link": ("Of open deze link op het apparaat",
                             "Or open this link on the device"),
    "devices.list": ("Gekoppelde apparaten", "Paired devices"),
    "devices.none": ("Nog geen apparaten.", "No devices yet."),
    "devices.state": ("Status", "Status"),
    "devices.state.revoked": ("Ingetrokken", "Revoked"),
    "devices.revoke": ("Intrekken", "Revoke"),
    "devices.revoked": ("Het apparaat kan niets meer.", "The device can no longer do anything."),
    "error.device_not_found": ("Dit apparaat bestaat niet of is al ingetrokken.",
                               "This device does not exist or was revoked already."),
    "error.employer_required": ("Kies de werkgever van de stand.",
                                "Choose the employer of the stand."),
    "error.bad_label": ("Geef het apparaat een naam, bijvoorbeeld Deur Noord.",
                        "Give the device a name, for example Door North."),
    "error.bad_role": ("Kies waar het apparaat voor is.", "Choose what the device is for."),
    "audit.heading": ("Logboek", "Audit log"),
    "audit.intro": (
        "Wie zag of deed wat, het nieuwste eerst. Er staan geen namen van bezoekers in, "
        "alleen nummers.",
        "Who saw or did what, newest first. It holds no visitor names, only numbers.",
    ),
    "audit.caption": ("Logboek, het nieuwste eerst", "Audit log, newest first"),
    "audit.when": ("Wanneer", "When"),
    "audit.actor": ("Wie", "Who"),
    "audit.action": ("Wat", "What"),
    "audit.event": ("Evenement (nummer)", "Event (number)"),
    "audit.subject": ("Over", "About"),
    "audit.subject_type": ("Soort", "Type"),
    "audit.subject_id": ("Nummer", "Number"),
    "audit.fields": ("Velden", "Fields"),
    "audit.filter": ("Zoeken", "Search"),
    "audit.none": ("Niets gevonden.", "Nothing found."),
    "audit.older": ("Oudere regels", "Older entries"),
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
    # -- follow-up: levels, statuses, mails (event_ops/followup)
    "fu.level.direct": ("Direct (baan)", "Direct (job)"),
    "fu.level.follow_up": ("Later contact", "Follow-up"),
    "fu.level.training": ("Opleiding", "Training"),
    "fu.level.info": ("Informatie", "Information"),
    "fu.status.new": ("Nieuw", "New"),
    "fu.status.contacted": ("Contact gehad", "Contacted"),
    "fu.status.interview": ("Sollicitatiegesprek", "Interview"),
    "fu.status.training_intake": ("Intake opleiding", "Training intake"),
    "fu.status.hired": ("Aangenomen", "Hired"),
    "fu.status.started_training": ("Gestart met opleiding", "Started training"),
    "fu.status.no_match": ("Geen match", "No match"),
    "fu.hello": ("Hallo {name},", "Hello {name},"),
    "fu.bye": ("Met vriendelijke groet,\nHet Werkfestival-team",
               "Kind regards,\nThe Werkfestival team"),
    "fu.match_line": (
        "- {visitor} bij {employer} ({level}): {status} sinds {since}",
        "- {visitor} at {employer} ({level}): {status} since {since}",
    ),
    "fu.board_link": ("Werk de status bij op het opvolgbord: {url}",
                      "Update the status on the follow-up board: {url}"),
    "fu.reminder.subject": ("{n} match(es) wachten op jou - {event}",
                            "{n} match(es) waiting for you - {event}"),
    "fu.reminder.intro": (
        "Deze matches van {event} staan al {days} dagen of langer stil:",
        "These matches from {event} have not moved for {days} days or more:",
    ),
    "fu.checkpoint.subject": ("Hoe is het afgelopen? {weeks} weken na {event}",
                              "How did it go? {weeks} weeks after {event}"),
    "fu.checkpoint.intro": (
        "{event} is {weeks} weken geleden. Wat is er van deze matches gekomen? Kies op het bord: "
        "aangenomen, gestart met een opleiding, of geen match (met de reden).",
        "{event} was {weeks} weeks ago. What came of these matches? Choose on the board: "
        "hired, started training, or no match (with the reason).",
    ),
    "fu.visitor.subject": ("Bedankt voor je komst naar {event}", "Thank you for coming to {event}"),
    "fu.visitor.intro": ("Op {event} heb je deze werkgevers ontmoet:",
                         "At {event} you met these employers:"),
    "fu.visitor.next.direct": (
        "{employer} wil graag verder met je praten over een baan.",
        "{employer} would like to talk with you about a job.",
    ),
    "fu.visitor.next.follow_up": ("{employer} wil later contact met je opnemen.",
                                  "{employer} wants to get in touch with you later."),
    "fu.visitor.next.training": ("{employer} heeft een opleiding die bij je past.",
                                 "{employer} has a training that suits you."),
    "fu.visitor.next.info": ("Je hebt kennisgemaakt met {employer}.",
                             "You got to know {employer}."),
    "fu.visitor.next.yours": ("Jij hebt laten weten dat je {employer} interessant vindt.",
                              "You said you are interested in {employer}."),
    "fu.visitor.coach": (
        "Wat gebeurt er nu? Een jobcoach of de werkgever neemt binnen twee weken contact "
        "met je op.",
        "What happens next? A job coach or the employer will contact you within two weeks.",
    ),
    "fu.visitor.private": (
        "Werkgevers hebben je achternaam en contactgegevens niet, want dat had je niet gekozen. "
        "Wil je dat ze je zelf kunnen bellen of mailen? Zet het aan op je eigen pagina.",
        "Employers do not have your last name or contact details, because you did not choose "
        "that. Do you want them to call or e-mail you? Turn it on on your own page.",
    ),
    "fu.visitor.none": (
        "Bedankt dat je naar {event} kwam. Kijk op onze site voor de volgende matchingsdagen.",
        "Thank you for coming to {event}. See our site for the next matching days.",
    ),
    "fu.employers.subject": ("Lijsten per werkgever van {event}",
                             "Lists per employer from {event}"),
    "fu.employers.intro": (
        "Hieronder staat per werkgever met wie zij op {event} hebben gesproken. Je kunt dit "
        "doorsturen: wie geen toestemming gaf, staat er alleen met de voornaam in, zonder "
        "contactgegevens.",
        "Below, per employer, is who they talked to at {event}. You can forward this: people "
        "who did not give permission appear by first name only, without contact details.",
    ),
    "fu.employers.open": ("- {name} ({level}): {contact}", "- {name} ({level}): {contact}"),
    "fu.employers.private": (
        "- {first_name} ({level}): wil geen contactgegevens delen",
        "- {first_name} ({level}): does not share contact details",
    ),
    "fu.employer_list.subject": ("Met wie je sprak op {event}", "Who you talked to at {event}"),
    "fu.employer_list.intro": (
        "Bedankt voor je deelname aan {event}. Hieronder staat met wie je hebt gesproken.",
        "Thank you for taking part in {event}. Below is who you talked to.",
    ),
    "fu.employer_list.private": (
        "Sommige mensen willen hun contactgegevens niet delen. Zij staan er alleen met de "
        "voornaam in. Hun jobcoach neemt contact met je op als er een vervolg is.",
        "Some people do not want to share their contact details. They appear by first name "
        "only. Their job coach will contact you if there is a next step.",
    ),
    # -- follow-up board (/events/{slug}/board)
    "board.title": ("Opvolging: {event}", "Follow-up: {event}"),
    "board.intro": (
        "Elke match met een werkgever of opleider. Kies een eigenaar en houd de status bij.",
        "Every match with an employer or training provider. Choose an owner and keep the "
        "status up to date.",
    ),
    "board.filters": ("Filters", "Filters"),
    "board.filter.event": ("Evenement", "Event"),
    "board.filter.employer": ("Werkgever", "Employer"),
    "board.filter.owner": ("Eigenaar", "Owner"),
    "board.filter.status": ("Status", "Status"),
    "board.filter.overdue": ("Alleen te lang stil", "Only overdue"),
    "board.filter.all": ("Alle", "All"),
    "board.filter.unassigned": ("Nog niemand", "Nobody yet"),
    "board.count": ("{n} matches", "{n} matches"),
    "board.none": ("Geen matches met deze filters.", "No matches with these filters."),
    "board.col.visitor": ("Werkzoekende", "Job seeker"),
    "board.col.employer": ("Werkgever", "Employer"),
    "board.col.level": ("Niveau", "Level"),
    "board.col.status": ("Status", "Status"),
    "board.col.owner": ("Eigenaar", "Owner"),
    "board.col.idle": ("Stil sinds", "Idle"),
    "board.idle_days": ("{n} dagen", "{n} days"),
    "board.overdue": ("te lang stil", "overdue"),
    "board.private": ("deelt geen gegevens met werkgevers", "shares no details with employers"),
    "board.status.new": ("Nieuwe status", "New status"),
    "board.reason": ("Reden (verplicht bij geen match)", "Reason (required for no match)"),
    "board.save": ("Opslaan", "Save"),
    "board.owner.name": ("Naam eigenaar", "Owner's name"),
    "board.owner.email": ("E-mail eigenaar", "Owner's e-mail"),
    "board.owner.none": ("Nog niemand", "Nobody yet"),
    "board.owner.change": ("Eigenaar kiezen of wijzigen", "Choose or change the owner"),
    "board.saved": ("Opgeslagen.", "Saved."),
    "board.final": ("Afgerond", "Closed"),
    "board.history": ("Geschiedenis", "History"),
    "board.reports": ("Rapportage", "Report"),
    "board.err.reason_required": ("Geef een reden.", "Give a reason."),
    "board.err.bad_transition": ("Deze stap kan niet (meer).",
                                 "This step is not possible (any more)."),
    "board.err.bad_owner": ("Vul een naam en een goed e-mailadres in.",
                            "Fill in a name and a valid e-mail address."),
    "board.err.match_changed": ("Iemand anders was je voor. De lijst is bijgewerkt.",
                                "Someone else was first. The list has been updated."),
    "board.err.generic": ("Dat lukte niet. Probeer het opnieuw.", "That did not work. Try again."),
    # -- reports (/events/{slug}/reports, /reports)
    "report.title": ("Rapportage: {event}", "Report: {event}"),
    "report.programme_title": ("Rapportage: het hele programma", "Report: the whole programme"),
    "report.programme": ("Hele programma", "Whole programme"),
    "report.suppression": (
        "Groepen van minder dan 5 mensen tonen we als <5. Een x is extra verborgen, zodat je een "
        "<5 niet uit het totaal kunt uitrekenen.",
        "Groups of fewer than 5 people are shown as <5. An x is hidden as well, so that a <5 "
        "cannot be worked out from the total.",
    ),
    "report.export.csv": ("Download CSV", "Download CSV"),
    "report.export.xlsx": ("Download Excel", "Download Excel"),
    "report.section.totals": ("Kerncijfers", "Key figures"),
    "report.section.targets": ("Doelen", "Targets"),
    "report.section.checkins": ("Check-ins in de tijd", "Check-ins over time"),
    "report.section.interests_by_level": ("Interesse per niveau", "Interests by level"),
    "report.section.matches_by_level": ("Matches per niveau", "Matches by level"),
    "report.section.matches_by_status": ("Matches per status", "Matches by status"),
    "report.section.conversion": ("Naar werk en opleiding", "Into jobs and training"),
    "report.section.events": ("Per evenement", "Per event"),
    "report.breakdown.visitor_sector": ("Bezoekers per gewenste sector",
                                        "Visitors by sector wanted"),
    "report.breakdown.employer_sector": ("Per sector van de werkgever", "By employer sector"),
    "report.breakdown.education": ("Per opleidingsniveau", "By education level"),
    "report.note.visitor_sector": (
        "Iemand kan meer sectoren kiezen en telt dan bij elke sector mee.",
        "People can choose several sectors and then count under each.",
    ),
    "report.metric.registered": ("Aangemeld", "Registered"),
    "report.metric.waiting_list": ("Wachtlijst", "Waiting list"),
    "report.metric.cancelled": ("Afgemeld", "Cancelled"),
    "report.metric.checked_in": ("Gekomen", "Checked in"),
    "report.metric.show_rate": ("Opkomst", "Show rate"),
    "report.metric.interests": ("Interesse", "Interests"),
    "report.metric.matches": ("Matches", "Matches"),
    "report.metric.hired": ("Aangenomen", "Hired"),
    "report.metric.started_training": ("Gestart met opleiding", "Started training"),
    "report.metric.job_matches": ("Matches op werk", "Job matches"),
    "report.metric.jobs": ("Aan het werk", "Into a job"),
    "report.metric.job_rate": ("Van match naar werk", "Match to job"),
    "report.metric.training_matches": ("Matches op opleiding", "Training matches"),
    "report.metric.trainings": ("Aan een opleiding begonnen", "Started a training"),
    "report.metric.training_rate": ("Van match naar opleiding", "Match to training"),
    "report.metric.target": ("Doel", "Target"),
    "report.metric.actual": ("Behaald", "Achieved"),
    "report.metric.progress": ("Voortgang", "Progress"),
    "report.metric.name": ("Evenement", "Event"),
    "report.metric.kind": ("Soort", "Kind"),
    "report.metric.starts_at": ("Datum", "Date"),
    "report.target.festival.direct": ("Festival: directe matches", "Festival: direct matches"),
    "report.target.festival.follow_up": ("Festival: matches voor later contact",
                                         "Festival: follow-up matches"),
    "report.target.festival.training": ("Festival: matches op opleiding",
                                        "Festival: training matches"),
    "report.target.matching.matches": ("Matchingsdagen: matches", "Matching days: matches"),
    "report.target.matching.trainings": ("Matchingsdagen: extra opleidingen",
                                         "Matching days: extra trainings"),
    "report.target.share": (
        "Voor één matchingsdag tonen we 1/16 van het doel voor alle 16 dagen samen.",
        "For one matching day we show 1/16 of the target for all 16 days together.",
    ),
    "report.unknown": ("Onbekend", "Unknown"),
    "report.training_provider": ("Opleider", "Training provider"),
    "report.sheet.summary": ("Kerncijfers", "Summary"),
    "report.sheet.targets": ("Doelen", "Targets"),
    "report.sheet.checkins": ("Check-ins", "Check-ins"),
    "report.sheet.levels": ("Niveaus en status", "Levels and status"),
    "report.sheet.events": ("Evenementen", "Events"),
    "report.col.metric": ("Cijfer", "Figure"),
    "report.col.value": ("Aantal", "Count"),
    "report.col.target": ("Doel", "Target"),
    "report.col.time": ("Tijd", "Time"),
    "report.col.section": ("Onderdeel", "Part"),
    "report.col.category": ("Groep", "Group"),
    "report.checkins.none": ("Nog geen check-ins.", "No check-ins yet."),
    "report.table": ("Cijfers als tabel", "Numbers as a table"),
    "report.board": ("Opvolgbord", "Follow-up board"),
    "report.loading": ("Laden…", "Loading…"),
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
    "pair.role.employer": ("Werkgever: beheer (stand, lijst, export)",
                           "Employer admin (stand, list, export)"),
    "pair.role.employer_tablet": ("Werkgever: alleen scannen (tablet)",
                                  "Employer: scan only (tablet)"),
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
    # -- employer tablet at a stand (/stand/<event>)
    "tablet.title": ("Stand: {event}", "Stand: {event}"),
    "tablet.device": ("Dit apparaat: {label}", "This device: {label}"),
    "tablet.notpaired.heading": ("Deze tablet is niet gekoppeld", "This tablet is not paired"),
    "tablet.notpaired.text": (
        "Scan de koppelcode van de organisatie. Of plak hier de toegangscode van je stand.",
        "Scan the pairing code from the organisers. Or paste the access code of your stand here.",
    ),
    "tablet.token.label": ("Toegangscode", "Access code"),
    "tablet.token.name": ("Naam van deze tablet (mag leeg)", "Name of this tablet (optional)"),
    "tablet.token.save": ("Opslaan", "Save"),
    "tablet.token.bad": (
        "Deze toegangscode werkt niet voor een stand.",
        "This access code does not work for a stand.",
    ),
    "tablet.unauthorized": (
        "De toegangscode werkt niet (meer). Koppel deze tablet opnieuw.",
        "The access code does not work (any more). Pair this tablet again.",
    ),
    "tablet.forget": ("Ontkoppel deze tablet", "Unpair this tablet"),
    "tablet.online": ("Online", "Online"),
    "tablet.offline": (
        "Offline. Alles blijft op deze tablet bewaard.",
        "Offline. Everything is kept on this tablet.",
    ),
    "tablet.pending": ("{n} wachten op verzending", "{n} waiting to be sent"),
    "tablet.held": (
        "Waarvan {n} wachten tot de bezoeker is ingecheckt bij de ingang.",
        "Of these, {n} wait until the visitor has checked in at the entrance.",
    ),
    "tablet.syncing": ("Bezig met versturen…", "Sending…"),
    "tablet.sync_problems": (
        "{n} scans konden niet worden opgeslagen, want de badge was niet geldig.",
        "{n} scans could not be saved, because the badge was not valid.",
    ),
    "tablet.keys_time": (
        "Badgesleutels voor controle zonder internet: bijgewerkt om {time}.",
        "Badge keys for checks without internet: updated at {time}.",
    ),
    "tablet.keys_missing": (
        "Nog geen badgesleutels. Zonder internet kan deze tablet badges nog niet controleren.",
        "No badge keys yet. Without internet this tablet cannot check badges yet.",
    ),
    "tablet.scan.heading": ("Badge scannen", "Scan a badge"),
    "tablet.code.label": ("Badgecode", "Badge code"),
    "tablet.code.hint": (
        "Scan met de camera of de handscanner. Of typ de code en druk op Enter.",
        "Scan with the camera or the hand scanner. Or type the code and press Enter.",
    ),
    "tablet.code.submit": ("Openen", "Open"),
    "tablet.camera.start": ("Camera aan", "Camera on"),
    "tablet.camera.stop": ("Camera uit", "Camera off"),
    "tablet.camera.hint": (
        "Houd de QR-code van de badge voor de camera.",
        "Hold the QR code of the badge in front of the camera.",
    ),
    "tablet.camera.error": (
        "De camera start niet. Geef toestemming, of gebruik de handscanner.",
        "The camera does not start. Give permission, or use the hand scanner.",
    ),
    "tablet.ready": ("Klaar om te scannen", "Ready to scan"),
    "tablet.working": ("Even geduld…", "One moment…"),
    "tablet.r.new": ("Opgeslagen: {level}", "Saved: {level}"),
    "tablet.r.new_hint": (
        "Nieuw in je lijst. Tik op een andere stap om het te veranderen.",
        "New in your list. Tap another step to change it.",
    ),
    "tablet.r.card": ("Nog niet opgeslagen: {name}", "Not saved yet: {name}"),
    "tablet.r.card_hint": (
        "Tik op de volgende stap. Dan slaan we het op.", "Tap the next step. Then it is saved."
    ),
    "tablet.r.choose_level": ("Kies eerst de volgende stap", "Choose the next step first"),
    "tablet.r.choose_level_hint": (
        "Tik op een van de vier knoppen. Dat slaat je details ook op.",
        "Tap one of the four buttons. That saves your details too.",
    ),
    "tablet.r.again": ("Al in je lijst: {level}", "Already in your list: {level}"),
    "tablet.r.again_hint": (
        "Tik op een stap om het te veranderen. Er komt geen tweede regel bij.",
        "Tap a step to change it. No second entry is made.",
    ),
    "tablet.r.saved": ("Opgeslagen: {level}", "Saved: {level}"),
    "tablet.r.synced_hint": ("Verstuurd nu er weer internet is.", "Sent now the internet is back."),
    "tablet.r.offline": ("Bewaard op deze tablet: {level}", "Kept on this tablet: {level}"),
    "tablet.r.offline_hint": (
        "Badge is zonder internet gecontroleerd. We versturen het als er weer internet is.",
        "Badge checked without internet. It is sent when the internet is back.",
    ),
    "tablet.r.offline_card": (
        "Geldige badge (gecontroleerd zonder internet)", "Valid badge (checked without internet)"
    ),
    "tablet.r.offline_card_hint": (
        "Tik op de volgende stap. We bewaren het op deze tablet en versturen het als er weer"
        " internet is.",
        "Tap the next step. It is kept on this tablet and sent when the internet is back.",
    ),
    "tablet.r.nokeys": ("Badge nog niet gecontroleerd", "Badge not checked yet"),
    "tablet.r.nokeys_card_hint": (
        "Deze tablet heeft nog geen badgesleutels. Tik op de volgende stap. We controleren en"
        " versturen het als er weer internet is.",
        "This tablet has no badge keys yet. Tap the next step. It is checked and sent when the"
        " internet is back.",
    ),
    "tablet.r.nokeys_hint": (
        "De badge kon nog niet worden gecontroleerd. We versturen het als er weer internet is.",
        "The badge could not be checked yet. It is sent when the internet is back.",
    ),
    "tablet.r.not_checked_in": (
        "Nog niet ingecheckt bij de ingang", "Not checked in at the entrance yet"
    ),
    "tablet.r.not_checked_in_help": (
        "Vraag de bezoeker om eerst in te checken bij de ingang. Scan daarna de badge opnieuw.",
        "Ask the visitor to check in at the entrance first. Then scan the badge again.",
    ),
    "tablet.r.held_hint": (
        "We bewaren het op deze tablet en versturen het zodra de bezoeker is ingecheckt.",
        "It is kept on this tablet and sent as soon as the visitor has checked in.",
    ),
    "tablet.r.invalid": ("Geen geldige badge", "Not a valid badge"),
    "tablet.r.unknown": ("Onbekende badge", "Unknown badge"),
    "tablet.r.wrong_event": ("Badge voor een ander evenement", "Badge for another event"),
    "tablet.r.revoked": ("Badge is niet meer geldig", "Badge is no longer valid"),
    "tablet.r.help": (
        "Vraag de bezoeker om de nieuwste badge, of stuur hem naar de infobalie.",
        "Ask the visitor for the newest badge, or send them to the information desk.",
    ),
    "tablet.r.error": ("Er ging iets mis: {detail}", "Something went wrong: {detail}"),
    "tablet.undo": ("Laatste invoer ongedaan maken", "Undo last entry"),
    "tablet.undone": ("{name} is uit je lijst gehaald.", "{name} is taken out of your list."),
    "tablet.undone_back": (
        "Wijziging ongedaan gemaakt. {name}: weer {level}.",
        "Change undone. {name}: back to {level}.",
    ),
    "tablet.undo_failed": ("Ongedaan maken lukt niet: {detail}", "Could not undo: {detail}"),
    "tablet.undo_offline": (
        "Ongedaan maken kan nu alleen met internet.", "Undoing this needs the internet."
    ),
    "tablet.card.visitor_n": ("Bezoeker {id}", "Visitor {id}"),
    "tablet.card.consented": (
        "{name} deelt naam, e-mail en telefoon met jullie.",
        "{name} shares name, e-mail and phone with you.",
    ),
    "tablet.card.private": (
        "{name} deelt geen achternaam, e-mail of telefoon. Je ziet alleen de voornaam en wat "
        "{name} kan.",
        "{name} does not share a last name, e-mail or phone. You only see the first name and "
        "what {name} can do.",
    ),
    "tablet.card.name": ("Naam", "Name"),
    "tablet.card.email": ("E-mail", "E-mail"),
    "tablet.card.phone": ("Telefoon", "Phone"),
    "tablet.card.mutual": (
        "Wederzijds: {name} heeft ook interesse in jullie.",
        "Mutual: {name} is interested in you too.",
    ),
    "tablet.card.match": ("Match met {title}: {score}%", "Match with {title}: {score}%"),
    "tablet.card.matched": ("Past bij: {list}", "Matches on: {list}"),
    "tablet.card.matched_none": (
        "Geen vaardigheden die bij deze vacature passen.", "No skills that fit this vacancy."
    ),
    "tablet.card.no_match": (
        "Nog geen vacature om mee te vergelijken.", "No vacancy to compare with yet."
    ),
    "tablet.card.skills": ("Wat {name} kan", "What {name} can do"),
    "tablet.card.skills_none": ("Geen vaardigheden ingevuld.", "No skills filled in."),
    "tablet.card.education": ("Opleiding: {level}", "Education: {level}"),
    "tablet.card.offline": (
        "Het profiel komt als er weer internet is.", "The profile shows when the internet is back."
    ),
    "tablet.outcome.legend": (
        "Wat is de volgende stap? Eén tik slaat het op.",
        "What is the next step? One tap saves it.",
    ),
    "tablet.level.direct": ("Directe match", "Direct match"),
    "tablet.level.follow_up": ("Vervolggesprek", "Follow-up talk"),
    "tablet.level.training": ("Opleidingsroute", "Training route"),
    "tablet.level.info": ("Alleen informatie", "Info only"),
    "tablet.details.summary": ("Meer vastleggen (niet verplicht)", "Add more (optional)"),
    "tablet.rating.legend": ("Beoordeling van 0 tot 5", "Rating from 0 to 5"),
    "tablet.rating.none": ("Geen", "None"),
    "tablet.note.label": ("Notitie", "Note"),
    "tablet.vacancy.label": ("Vacature", "Vacancy"),
    "tablet.vacancy.none": ("Geen vacature", "No vacancy"),
    "tablet.vacancy.n": ("Vacature {id}", "Vacancy {id}"),
    "tablet.details.save": ("Details opslaan", "Save details"),
    "tablet.list.heading": ("Vandaag op je stand", "Today at your stand"),
    "tablet.list.search": ("Zoek in je lijst", "Search your list"),
    "tablet.list.submit": ("Zoeken", "Search"),
    "tablet.list.count": ("Bezoekers in je lijst: {n}.", "Visitors in your list: {n}."),
    "tablet.list.none": ("Nog niemand in je lijst.", "Nobody in your list yet."),
    "tablet.list.nohits": ("Niemand gevonden.", "Nobody found."),
    "tablet.list.waiting": ("wacht op verzending", "waiting to be sent"),
    "tablet.list.private": ("deelt geen contactgegevens", "does not share contact details"),
    "tablet.list.mutual": ("wederzijds", "mutual"),
    "tablet.list.rating": ("{n} van 5", "{n} of 5"),
    "tablet.list.edit": ("Aanpassen", "Change"),
    "tablet.list.edit_name": ("{name} aanpassen", "Change {name}"),
    "tablet.list.offline": (
        "Geen internet: je ziet de lijst van {time}.", "No internet: you see the list from {time}."
    ),
    "tablet.export": ("Lijst downloaden (CSV)", "Download list (CSV)"),
    "tablet.export.offline": (
        "Downloaden kan alleen met internet.", "Downloading needs the internet."
    ),
    "tablet.export.done": ("De lijst is gedownload.", "The list has been downloaded."),
    "tablet.qr.show": ("QR-code van de stand tonen", "Show the stand QR code"),
    "tablet.qr.heading": ("Scan met je eigen telefoon", "Scan with your own phone"),
    "tablet.qr.text": (
        "Bezoekers scannen deze code met hun eigen telefoon. Zo laten ze weten dat ze interesse "
        "hebben.",
        "Visitors scan this code with their own phone. That way they let you know they are "
        "interested.",
    ),
    "tablet.qr.alt": ("QR-code van jullie stand", "QR code of your stand"),
    "tablet.qr.close": ("Sluiten", "Close"),
    "tablet.qr.offline": (
        "De QR-code laden kan alleen met internet.", "Loading the QR code needs the internet."
    ),
    "tablet.here.heading": ("Wie is er?", "Who is here?"),
    "tablet.here.intro": (
        "Bezoekers die bij jullie passen en hun profiel delen. Hier zie je wie net binnen is.",
        "Visitors who fit your stand and share their profile. Here you see who just came in.",
    ),
    "tablet.here.live": (
        "Live. Bezoekers die bij jullie stand passen: {n}.",
        "Live. Visitors who fit your stand: {n}.",
    ),
    "tablet.here.reconnecting": (
        "Geen live verbinding. Opnieuw verbinden…", "No live connection. Reconnecting…"
    ),
    "tablet.here.none": ("Nog niemand binnen.", "Nobody in yet."),
    "tablet.here.arrived": ("binnen om {time}", "in at {time}"),
    "tablet.here.announce": ("{name} is net binnengekomen.", "{name} just came in."),
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
    # -- matching: visitor's matching page, badge schedule lines, printable table plan
    "schedule.link": ("Mijn gesprekken en stands", "My meetings and stands"),
    "schedule.back": ("Terug naar mijn pagina", "Back to my page"),
    "schedule.table": ("Tafel {n}", "Table {n}"),
    "schedule.mine": ("Jouw gesprekken", "Your meetings"),
    "schedule.none_yet": (
        "Het schema is nog niet klaar. Je ziet het straks hier en op je badge.",
        "The schedule is not ready yet. You will see it here and on your badge.",
    ),
    "schedule.col.time": ("Tijd", "Time"),
    "schedule.col.table": ("Tafel", "Table"),
    "schedule.col.employer": ("Werkgever", "Employer"),
    "schedule.col.visitor": ("Werkzoekende", "Job seeker"),
    "schedule.prefs.heading": ("Met wie wil je praten?", "Who do you want to talk to?"),
    "schedule.prefs.intro": (
        "Kies per werkgever. Bij 'Liever niet' plannen we geen gesprek. "
        "Je kunt dit veranderen tot het schema klaar is.",
        "Choose for each employer. With 'Rather not' we plan no meeting. "
        "You can change this until the schedule is ready.",
    ),
    "schedule.choice.must": ("Wil ik zeker spreken", "I must meet them"),
    "schedule.choice.happy": ("Graag", "Happy to meet"),
    "schedule.choice.no": ("Liever niet", "Rather not"),
    "schedule.choice.none": ("Geen voorkeur", "No preference"),
    "schedule.fit": ("Past bij jou: {n}%", "Fits you: {n}%"),
    "schedule.vacancies": ("Vacatures", "Vacancies"),
    "schedule.save": ("Opslaan", "Save"),
    "schedule.saved": ("Je keuzes zijn opgeslagen.", "Your choices are saved."),
    "schedule.recommended": ("Aanbevolen stands", "Recommended stands"),
    "schedule.recommended.none": ("Aanbevelingen volgen.", "Recommendations follow."),
    "schedule.print.title": ("Tafelplan {event}", "Table plan {event}"),
    "schedule.print.round": ("Ronde {n} · {time}", "Round {n} · {time}"),
    "schedule.print.print": ("Afdrukken", "Print"),
    "schedule.print.published": ("Toon het gepubliceerde schema", "Show the published schedule"),
    "schedule.print.draft": (
        "Concept: nog niet gepubliceerd.", "Draft: not published yet."
    ),
    "schedule.print.empty": ("Er is nog geen schema.", "There is no schedule yet."),
    "schedule.print.loading": ("Laden…", "Loading…"),
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
