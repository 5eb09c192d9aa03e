"""Dutch first, English second. Texts are written for B1 reading level: short, plain words.

``t(key, lang)`` looks a text up; a missing key shows itself, so gaps are easy to spot.
Domain errors carry an English ``message`` for the API; pages translate their ``code``.
"""

from __future__ import annotations

from event_ops import catalogs
from event_ops.texts.audience import STAFF_LANGUAGES, VISITOR_LANGUAGES

#: Every language a page can show: the visitors' languages (staff pages: STAFF_LANGUAGES).
LANGUAGES = VISITOR_LANGUAGES
__all__ = ["LANGUAGES", "STAFF_LANGUAGES", "TEXTS", "choose_language", "t"]

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
        "Dit evenement is vol. Je kunt je wel aanmelden voor de wachtlijst.",
        "This event is full. You can still join the waiting list.",
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
    "login.unlocked": (
        "Deze computer kan weer inloggen. Vul je e-mailadres en wachtwoord in.",
        "This computer can log in again. Fill in your e-mail address and password.",
    ),
    "login.unlock.heading": ("Account van slot halen", "Unlock your account"),
    "login.unlock.intro": (
        "Iemand gebruikte te vaak een verkeerd wachtwoord voor je account. Met deze knop "
        "kan deze computer weer inloggen. Je hebt nog steeds je wachtwoord nodig.",
        "Someone used a wrong password for your account too often. With this button this "
        "computer can log in again. You still need your password.",
    ),
    "login.unlock.submit": ("Deze computer van slot halen", "Unlock this computer"),
    "organiser.lockouts.heading": (
        "Let op: iemand probeert wachtwoorden te raden", "Warning: someone is guessing passwords"),
    "organiser.lockouts.item": (
        "{name} ({email}): {n} keer op slot in de laatste 24 uur.",
        "{name} ({email}): locked {n} times in the last 24 hours.",
    ),
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
    "error.totp_already_on": ("Inloggen in twee stappen staat al aan.",
                              "Two-step login is on already."),
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
    "organiser.badges.check": (
        "Controleer {n} badge(s) voor het printen",
        "Check {n} badge(s) before printing"),
    "organiser.badges.check.why": (
        "De badge kan deze namen niet precies zo laten zien (ander schrift of emoji)."
        " Er staat nu een Latijnse versie op. Klopt die? Vraag het de bezoeker bij de deur.",
        "The badge cannot show these names exactly as typed (another script or emoji)."
        " It shows a Latin version instead. Is it right? Ask the visitor at the door."),
    "organiser.badges.check.printed": ("op de badge staat", "the badge shows"),
    "devices.heading": ("Apparaten van {event}", "Devices of {event}"),
    "devices.new": ("Nieuw apparaat koppelen", "Pair a new device"),
    "devices.employer": ("Werkgever", "Employer"),
    "devices.employer.hint": ("Alleen voor een stand.", "Only for a stand."),
    "devices.employer.filter": ("Zoek een werkgever", "Find an employer"),
    "devices.employer.found": ("{n} werkgevers gevonden", "{n} employers found"),
    "devices.employer.none": ("Geen werkgever gevonden", "No employer found"),
    "devices.employer.found_one": ("1 werkgever gevonden", "1 employer found"),
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
    "error.employer_not_allowed": ("Kies alleen een werkgever voor een stand.",
                                   "Choose an employer only for a stand."),
    "error.employer_not_found": ("Deze werkgever hoort niet bij dit evenement.",
                                 "This employer is not part of this event."),
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
    "form.required_note": (
        "Vragen met een * moet je invullen.",
        "You must fill in questions marked *.",
    ),
    "form.errors_heading": (
        "Kijk nog eens naar deze vragen:",
        "Please look at these questions again:",
    ),
    "field.name": ("Naam", "Name"),
    "field.email": ("E-mailadres", "E-mail address"),
    "field.phone": ("Telefoonnummer", "Phone number"),
    "field.phone.hint": ("Bijvoorbeeld 06 12345678", "For example 06 12345678"),
    "field.postcode": ("Postcode", "Postcode"),
    "field.postcode.hint": (
        "Dan zoeken we werk bij jou in de buurt.",
        "Then we look for work near you.",
    ),
    "field.sectors": ("Welk soort werk wil je doen?", "What kind of work do you want to do?"),
    "field.competencies": ("Wat kun je?", "What can you do?"),
    "field.competencies.hint": (
        "Zoek en kies wat je kunt. Kies ook hoe goed je het kunt.",
        "Search and choose what you can do. Also choose how well you can do it.",
    ),
    "field.competencies.search": ("Zoek wat je kunt", "Search what you can do"),
    "field.education_level": ("Hoogste opleiding", "Highest education"),
    "field.availability": ("Wanneer kun je werken?", "When can you work?"),
    "field.language": (
        "In welke taal wil je e-mail krijgen?",
        "In which language do you want your e-mail?",
    ),
    "field.consent_terms": (
        "Ik ga akkoord met de voorwaarden en de privacyregels.",
        "I agree to the terms and the privacy rules.",
    ),
    "field.consent_share_profile": (
        "Werkgevers mogen mijn naam, e-mail, telefoon en profiel zien.",
        "Employers may see my name, e-mail, phone and profile.",
    ),
    "field.consent_share_profile.hint": (
        "Kies je dit niet? Dan zien werkgevers alleen je voornaam en wat je kunt. Ze zien niet "
        "je achternaam, e-mail of telefoon. Je kunt dit later altijd veranderen.",
        "If you do not choose this, employers only see your first name and what you can do. They "
        "do not see your last name, e-mail or phone. You can always change this later.",
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
    "err.name_length": (
        "Vul een naam in van 2 tot 200 tekens.",
        "Enter a name of 2 to 200 characters.",
    ),
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
    "err.competency_unknown": (
        "Dit kennen we niet. Kies wat je kunt uit de lijst.",
        "We do not know this. Choose what you can do from the list.",
    ),
    "err.competency_level": ("Kies een niveau van 1 tot 4.", "Choose a level from 1 to 4."),
    "err.too_many": ("Je hebt te veel gekozen.", "You chose too many."),
    "err.sector_unknown": (
        "Kies een soort werk uit de lijst.",
        "Choose a kind of work from the list.",
    ),
    "err.choice": ("Kies iets uit de lijst.", "Choose something from the list."),
    "err.consent_terms": (
        "Zet een vinkje bij de voorwaarden. Anders kun je je niet aanmelden.",
        "Tick the box for the terms. Otherwise you cannot sign up.",
    ),
    "err.language": ("Kies Nederlands of Engels.", "Choose Dutch or English."),
    # -- domain errors shown on pages
    "error.already_registered": (
        "Je bent al aangemeld voor dit evenement. We hebben je de e-mail nog een keer gestuurd.",
        "You are already signed up for this event. We sent you the e-mail again.",
    ),
    "error.event_not_found": ("Dit evenement bestaat niet.", "This event does not exist."),
    "error.event_over": ("Dit evenement is voorbij.", "This event is over."),
    "error.link_invalid": (
        "Deze link werkt niet. Vraag een nieuwe link aan.",
        "This link does not work. Ask for a new link.",
    ),
    "error.rate_limited": (
        "Je hebt het te vaak geprobeerd. Wacht een minuut en probeer het dan opnieuw.",
        "You tried too often. Wait a minute and then try again.",
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
        "We sturen een e-mail naar {email}. Daarin staat alle informatie. Er staat ook een link "
        "naar je eigen pagina in.",
        "We are sending an e-mail to {email}. It has all the details. It also has a link to your "
        "own page.",
    ),
    "done.badge": ("Bekijk je badge", "View your badge"),
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
        "Download alles wat we van je weten, als bestand",
        "Download everything we know about you, as a file",
    ),
    "me.export_page": ("Bekijk alles wat we van je weten", "See everything we hold about you"),
    "me.erase": ("Verwijder mijn gegevens", "Delete my data"),
    "me.erase_hint": (
        "We verwijderen je naam, e-mail, telefoon, postcode en profiel. We melden je af voor al "
        "je evenementen. Je kunt dit daarna niet meer terugdraaien.",
        "We delete your name, e-mail, phone, postcode and profile. We cancel all your sign-ups. "
        "You cannot undo this.",
    ),
    "me.erase_confirm": ("Ja, verwijder mijn gegevens", "Yes, delete my data"),
    "me.erase_confirm_needed": (
        "Zet eerst een vinkje. Zo weten we dat je je gegevens echt wilt verwijderen.",
        "First tick the box. Then we know you really want to delete your data.",
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
        "Open eerst op deze telefoon de link uit je e-mail. Die e-mail kreeg je na je "
        "aanmelding. Scan daarna de QR-code opnieuw.",
        "First open the link from your e-mail on this phone. You got that e-mail when you signed "
        "up. Then scan the QR code again.",
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
        "Wil je je gegevens bekijken of veranderen? Of wil je je afmelden? Dat kan hier: {url}",
        "Do you want to see or change your details? Or do you want to cancel? You can do that "
        "here: {url}",
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
        "{event} is {weeks} weken geleden. Wat is er van deze matches gekomen? Kies op het bord "
        "wat er gebeurd is: aangenomen, gestart met een opleiding of geen match. Bij geen match "
        "geef je ook de reden.",
        "{event} was {weeks} weeks ago. What came of these matches? Choose on the board what "
        "happened: hired, started training or no match. For no match, also give the reason.",
    ),
    "fu.visitor.subject": ("Bedankt dat je naar {event} kwam", "Thank you for coming to {event}"),
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
        "Werkgevers weten je achternaam, e-mail en telefoonnummer niet. Dat heb je zo gekozen. "
        "Wil je dat werkgevers je zelf kunnen bellen of mailen? Zet dat dan aan op je eigen "
        "pagina.",
        "Employers do not know your last name, e-mail or phone number. You chose that. Do you "
        "want employers to be able to call or e-mail you? Then turn it on on your own page.",
    ),
    "fu.visitor.none": (
        "Bedankt dat je naar {event} kwam. Op onze website zie je de volgende matchingsdagen.",
        "Thank you for coming to {event}. On our website you can see the next matching days.",
    ),
    "fu.employers.subject": ("Lijsten per werkgever van {event}",
                             "Lists per employer from {event}"),
    "fu.employers.intro": (
        "Hieronder zie je per werkgever met wie zij spraken op {event}. Je mag deze lijst "
        "doorsturen. Sommige mensen gaven geen toestemming. Van hen staat alleen de voornaam "
        "erin, zonder e-mail of telefoon.",
        "Below you see, per employer, who they talked to at {event}. You may forward this list. "
        "Some people did not give permission. For them, only the first name is in it, without "
        "e-mail or phone.",
    ),
    "fu.employers.open": ("- {name} ({level}): {contact}", "- {name} ({level}): {contact}"),
    "fu.employers.private": (
        "- {first_name} ({level}): wil geen contactgegevens delen",
        "- {first_name} ({level}): does not share contact details",
    ),
    "fu.employer_list.subject": ("Met wie je sprak op {event}", "Who you talked to at {event}"),
    "fu.employer_list.intro": (
        "Bedankt dat je meedeed aan {event}. Hieronder zie je met wie je hebt gesproken.",
        "Thank you for taking part in {event}. Below you see who you talked to.",
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
    "board.owner.account": ("Wie volgt dit op?", "Who follows this up?"),
    "board.history.owner": ("Eigenaar: {name}", "Owner: {name}"),
    "board.history.owner_none": ("Geen eigenaar meer", "No owner any more"),
    "board.history.by": ("door {name}", "by {name}"),
    "board.saved": ("Opgeslagen.", "Saved."),
    "board.final": ("Afgerond", "Closed"),
    "board.history": ("Geschiedenis", "History"),
    "board.reports": ("Rapportage", "Report"),
    "board.err.reason_required": ("Geef een reden.", "Give a reason."),
    "board.err.bad_transition": ("Deze stap kan niet (meer).",
                                 "This step is not possible (any more)."),
    "board.err.bad_owner": ("Kies een eigenaar uit de lijst: een organisator of jobcoach van"
                            " dit evenement.",
                            "Choose an owner from the list: an organiser or job coach of this"
                            " event."),
    "board.err.match_changed": ("Iemand anders was je voor. De lijst is bijgewerkt.",
                                "Someone else was first. The list has been updated."),
    "board.err.generic": ("Dat lukte niet. Probeer het opnieuw.", "That did not work. Try again."),
    # -- reports (/events/{slug}/reports, /reports)
    "report.title": ("Rapportage: {event}", "Report: {event}"),
    "report.programme_title": ("Rapportage: het hele programma", "Report: the whole programme"),
    "report.programme": ("Hele programma", "Whole programme"),
    "report.suppression": (
        "Is een groep kleiner dan 5 mensen? Dan staat er <5. Soms staat er ook een x. Dat getal "
        "verbergen we ook. Anders kun je de <5 uitrekenen met het totaal.",
        "Is a group smaller than 5 people? Then it shows <5. Sometimes it also shows an x. We "
        "hide that number too. Otherwise you could work out the <5 from the total.",
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
        "Scan met de camera van dit apparaat de koppelcode van de organisatie.",
        "Scan the pairing code from the organisers with the camera of this device.",
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
        "Badge is goed (gecontroleerd zonder internet). Welkom!",
        "Badge is good (checked without internet). Welcome!",
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
        "Geen internet: we kunnen deze badge nu niet controleren",
        "No internet: we cannot check this badge now",
    ),
    "door.r.help": (
        "Stuur de bezoeker naar de infobalie.", "Send the visitor to the information desk."
    ),
    "door.r.queued": (
        "We versturen het als er weer internet is.",
        "We send it when the internet is back.",
    ),
    "door.r.error": ("Er ging iets mis: {detail}", "Something went wrong: {detail}"),
    "door.undo": ("Laatste check-in ongedaan maken", "Undo last check-in"),
    "door.undone": ("Check-in van {name} is ongedaan gemaakt.", "Check-in of {name} is undone."),
    "door.undo_failed": ("Ongedaan maken lukt niet: {detail}", "Could not undo: {detail}"),
    "door.online": ("Online", "Online"),
    "door.offline": (
        "Offline. Dit apparaat bewaart de scans.",
        "Offline. This device keeps the scans.",
    ),
    "door.pending": ("{n} wachten op verzending", "{n} waiting to be sent"),
    "door.synced": ("Alles is verstuurd.", "Everything has been sent."),
    "door.syncing": ("Bezig met versturen…", "Sending…"),
    "door.sync_problems": (
        "{n} scans zonder internet waren fout of dubbel. Kijk op het dashboard.",
        "{n} scans without internet were wrong or double. Check the dashboard.",
    ),
    "door.keys_time": (
        "Controleren zonder internet: bijgewerkt om {time}.",
        "Checking without internet: updated at {time}.",
    ),
    "door.keys_missing": (
        "Dit apparaat kan nog geen badges controleren zonder internet. Daarvoor is eerst één "
        "keer internet nodig.",
        "This device cannot check badges without internet yet. It needs the internet once first.",
    ),
    "door.unauthorized": (
        "De toegangscode werkt niet (meer). Koppel dit apparaat opnieuw.",
        "The access code does not work (any more). Pair this device again.",
    ),
    "door.forbidden": (
        "Deze toegangscode mag dit niet. Vraag de organisatie om hulp.",
        "This access code may not do this. Ask the organisers for help.",
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
        "Scan de koppelcode van de organisatie. Of plak hier een toegangscode.",
        "Scan the pairing code from the organisers. Or paste an access code here.",
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
    "tablet.forbidden": (
        "Deze toegangscode mag dit niet. Vraag de organisatie om hulp.",
        "This access code may not do this. Ask the organisers for help.",
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
        "{n} scans zijn niet opgeslagen. De badge was niet geldig.",
        "{n} scans were not saved. The badge was not valid.",
    ),
    "tablet.keys_time": (
        "Controleren zonder internet: bijgewerkt om {time}.",
        "Checking without internet: updated at {time}.",
    ),
    "tablet.keys_missing": (
        "Deze tablet kan nog geen badges controleren zonder internet.",
        "This tablet cannot check badges without internet yet.",
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
        "We hebben de badge zonder internet gecontroleerd. We versturen het als er weer internet "
        "is.",
        "We checked the badge without internet. We send it when the internet is back.",
    ),
    "tablet.r.offline_card": (
        "Geldige badge (gecontroleerd zonder internet)", "Valid badge (checked without internet)"
    ),
    "tablet.r.offline_card_hint": (
        "Tik op de volgende stap. We bewaren het op deze tablet. Als er weer internet is, "
        "versturen we het.",
        "Tap the next step. We keep it on this tablet. When the internet is back, we send it.",
    ),
    "tablet.r.nokeys": ("Badge nog niet gecontroleerd", "Badge not checked yet"),
    "tablet.r.nokeys_card_hint": (
        "Deze tablet kan de badge nog niet controleren. Tik op de volgende stap. Als er weer "
        "internet is, controleren en versturen we het.",
        "This tablet cannot check the badge yet. Tap the next step. When the internet is back, "
        "we check it and send it.",
    ),
    "tablet.r.nokeys_hint": (
        "We konden de badge nog niet controleren. We versturen het als er weer internet is.",
        "We could not check the badge yet. We send it when the internet is back.",
    ),
    "tablet.r.not_checked_in": (
        "Nog niet ingecheckt bij de ingang", "Not checked in at the entrance yet"
    ),
    "tablet.r.not_checked_in_help": (
        "Vraag de bezoeker om eerst in te checken bij de ingang. Scan daarna de badge opnieuw.",
        "Ask the visitor to check in at the entrance first. Then scan the badge again.",
    ),
    "tablet.r.held_hint": (
        "We bewaren het op deze tablet. We versturen het als de bezoeker is ingecheckt.",
        "We keep it on this tablet. We send it when the visitor has checked in.",
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
    "tablet.tablets.heading": ("Tablets van deze stand", "Tablets of this stand"),
    "tablet.tablets.intro": (
        "Een extra tablet kan alleen scannen. Hij kan de lijst niet downloaden.",
        "An extra tablet can only scan. It cannot download the list.",
    ),
    "tablet.tablets.label": ("Naam van de tablet", "Name of the tablet"),
    "tablet.tablets.add": ("Tablet toevoegen", "Add a tablet"),
    "tablet.tablets.scan": (
        "Scan deze QR-code met de nieuwe tablet. De code werkt één keer, 10 minuten lang.",
        "Scan this QR code with the new tablet. The code works once, for 10 minutes.",
    ),
    "tablet.tablets.qr_alt": ("QR-code om de tablet te koppelen", "QR code to pair the tablet"),
    "tablet.tablets.revoke": ("Intrekken", "Revoke"),
    "tablet.tablets.revoked": ("ingetrokken", "revoked"),
    "tablet.tablets.none": ("Nog geen extra tablets.", "No extra tablets yet."),
    "tablet.tablets.failed": ("Dat lukte niet. Probeer het opnieuw.",
                              "That did not work. Try again."),
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
    "dash.conflicts": (
        "Problemen na scannen zonder internet",
        "Problems after scanning without internet",
    ),
    "dash.conflicts.none": ("Geen conflicten.", "No conflicts."),
    "dash.conflict_item": (
        "Badge binnengelaten bij {door} om {time}, maar deze persoon was al binnen.",
        "Badge let in at {door} at {time}, but this person was already in.",
    ),
    "dash.live": ("Live verbonden", "Live"),
    "dash.reconnecting": (
        "Verbinding weg. Opnieuw verbinden…", "Connection lost. Reconnecting…"
    ),
    "dash.late": (
        "later verstuurd (gescand zonder internet)",
        "sent later (scanned without internet)",
    ),
    "dash.unauthorized": (
        "De toegangscode werkt niet (meer). Koppel dit apparaat opnieuw.",
        "The access code does not work (any more). Pair this device again.",
    ),
    "dash.degraded": (
        "Let op: de live cijfers zijn nu niet compleet. Scans bij sommige deuren komen "
        "hier later binnen. Inchecken werkt gewoon.",
        "Note: the live numbers are not complete right now. Scans at some doors show up "
        "here later. Check-in works as usual.",
    ),
    "dash.restored": (
        "De live cijfers zijn weer compleet.", "The live numbers are complete again."
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
    "schedule.recommended": ("Stands voor jou", "Stands for you"),
    "schedule.recommended.none": ("Deze lijst komt later.", "This list comes later."),
    "schedule.print.title": ("Tafelplan {event}", "Table plan {event}"),
    "schedule.print.round": ("Ronde {n} · {time}", "Round {n} · {time}"),
    "schedule.print.print": ("Afdrukken", "Print"),
    "schedule.print.published": ("Toon het gepubliceerde schema", "Show the published schedule"),
    "schedule.print.draft": (
        "Concept: nog niet gepubliceerd.", "Draft: not published yet."
    ),
    "schedule.print.empty": ("Er is nog geen schema.", "There is no schedule yet."),
    "schedule.print.loading": ("Laden…", "Loading…"),
    "schedule.balance.uneven": (
        "Niet iedereen krijgt evenveel gesprekken: minimaal {fewest}, maximaal {most}.",
        "Not everyone gets the same number of meetings: fewest {fewest}, most {most}."),
    "schedule.balance.limited": (
        "{n} bezoeker(s) mag met maar {fewest} werkgever(s) praten: de anderen zeiden nee.",
        "{n} visitor(s) may meet only {fewest} employer(s): the others said no."),
    "schedule.balance.choices": (
        "Dat komt door keuzes 'wil ik zeker spreken' of vastgezette gesprekken.",
        "That is because of 'must meet' choices or pinned meetings."),
}


# -- visitor pages of issue 13: confirmation, error summary, legal texts, lost links,
#    cancelling, the readable data page (kept together so merging stays simple)
TEXTS.update({
    "done.mailed.heading": ("Kijk in je e-mail", "Check your e-mail"),
    "done.event": ("Evenement", "Event"),
    "done.mailed.text": (
        "We hebben je aanmelding ontvangen. We sturen een e-mail naar het adres dat je invulde. "
        "Daarin staat alle informatie, en je badge als je een plek hebt. Geen e-mail? Kijk ook "
        "bij de ongewenste e-mail (spam).",
        "We have received your sign-up. We are sending an e-mail to the address you entered. "
        "It has all the details, and your badge if you have a place. No e-mail? Also look in "
        "your junk mail (spam).",
    ),
    # Short field names for the error summary: "Naam: Vul dit in."
    "summary.name": ("Naam", "Name"),
    "summary.email": ("E-mailadres", "E-mail address"),
    "summary.phone": ("Telefoonnummer", "Phone number"),
    "summary.postcode": ("Postcode", "Postcode"),
    "summary.sectors": ("Soort werk", "Kind of work"),
    "summary.competencies": ("Wat je kunt", "What you can do"),
    "summary.education_level": ("Hoogste opleiding", "Highest education"),
    "summary.availability": ("Wanneer je kunt werken", "When you can work"),
    "summary.language": ("Taal", "Language"),
    "summary.consent_terms": ("Voorwaarden", "Terms"),
    "summary.confirm": ("Gegevens verwijderen", "Delete data"),
    # Legal texts
    "legal.terms": ("Voorwaarden", "Terms"),
    "legal.privacy": ("Privacyregels", "Privacy statement"),
    "legal.version": ("Versie {version}, geldig vanaf {date}",
                      "Version {version}, valid from {date}"),
    "legal.read": ("Lees de voorwaarden en de privacyregels",
                   "Read the terms and the privacy statement"),
    "legal.consent_links": ("Lees eerst de {terms} en de {privacy}.",
                            "First read the {terms} and the {privacy}."),
    "legal.not_found": ("Deze tekst bestaat niet.", "This text does not exist."),
    "mail.legal": (
        "Voorwaarden: {terms}\nPrivacyregels: {privacy}",
        "Terms: {terms}\nPrivacy statement: {privacy}",
    ),
    # Lost link
    "link.request.link": ("Stuur mijn link opnieuw", "Send me my link again"),
    "link.request.heading": ("Stuur mijn link opnieuw", "Send me my link again"),
    "link.request.intro": (
        "Ben je de link naar je eigen pagina kwijt? Vul je e-mailadres in. Als we dit adres "
        "kennen, sturen we je een nieuwe link.",
        "Lost the link to your own page? Enter your e-mail address. If we know this address, "
        "we send you a new link.",
    ),
    "link.request.submit": ("Stuur de link", "Send the link"),
    "link.request.sent": (
        "Kennen we dit e-mailadres? Dan krijg je zo een e-mail met je link. Geen e-mail? "
        "Kijk ook bij de ongewenste e-mail (spam).",
        "Do we know this e-mail address? Then you will get an e-mail with your link soon. "
        "No e-mail? Also look in your junk mail (spam).",
    ),
    "mail.link.subject": ("Je link naar je eigen pagina", "Your link to your own page"),
    "mail.link.bye": ("Groeten van de organisatie", "Best wishes from the organisers"),
    "legal.new_tab": ("opent in een nieuw tabblad", "opens in a new tab"),
    "mail.link.body": (
        "Je vroeg om een nieuwe link naar je eigen pagina. Daar zie je je aanmeldingen en je "
        "badge, en kun je je gegevens veranderen:\n{url}\n\nHeb jij dit niet gevraagd? Dan "
        "hoef je niets te doen.",
        "You asked for a new link to your own page. There you see your sign-ups and your "
        "badge, and you can change your details:\n{url}\n\nDid you not ask for this? Then "
        "you do not need to do anything.",
    ),
    # Cancelling with a confirmation step
    "me.cancel.heading": ("Afmelden voor {event}?", "Cancel for {event}?"),
    "me.cancel.waiting_note": (
        "Je plek gaat naar iemand op de wachtlijst. Je kunt je daarna opnieuw aanmelden, maar "
        "dan is er misschien geen plek meer.",
        "Your place goes to someone on the waiting list. You can sign up again later, but "
        "there may be no place left then.",
    ),
    "me.cancel.waiting_list_note": (
        "Je gaat dan van de wachtlijst af.", "You then leave the waiting list."
    ),
    "me.cancel.yes": ("Ja, meld mij af", "Yes, cancel my sign-up"),
    "me.cancel.no": ("Nee, terug", "No, go back"),
    "me.legal": ("Voorwaarden en privacyregels", "Terms and privacy statement"),
    # The data page, readable
    "export.section.visitor": ("Jouw gegevens", "Your details"),
    "export.section.competencies": ("Wat je kunt", "What you can do"),
    "export.section.consents": ("Toestemmingen", "Consents"),
    "export.section.registrations": ("Aanmeldingen", "Sign-ups"),
    "export.section.door_scans": ("Scans bij de deur", "Scans at the door"),
    "export.section.employer_notes": ("Wat werkgevers over je noteerden",
                                      "What employers noted about you"),
    "export.section.your_interest_in_employers": ("Werkgevers die jij interessant vond",
                                                  "Employers you were interested in"),
    "export.section.matches": ("Matches met werkgevers", "Matches with employers"),
    "export.section.who_saw_your_profile": ("Wie je profiel zag", "Who saw your profile"),
    "export.section.emails": ("E-mails aan jou", "E-mails to you"),
    "export.none": ("Niets.", "Nothing."),
    "export.key.email": ("E-mailadres", "E-mail address"),
    "export.key.name": ("Naam", "Name"),
    "export.key.phone": ("Telefoonnummer", "Phone number"),
    "export.key.postcode": ("Postcode", "Postcode"),
    "export.key.education_level": ("Hoogste opleiding", "Highest education"),
    "export.key.availability": ("Wanneer je kunt werken", "When you can work"),
    "export.key.sectors": ("Soort werk", "Kind of work"),
    "export.key.language": ("Taal van je e-mail", "Language of your e-mail"),
    "export.key.share_profile": ("Werkgevers mogen je naam en contact zien",
                                 "Employers may see your name and contact details"),
    "export.key.created_at": ("Gemaakt op", "Created on"),
    "export.key.updated_at": ("Veranderd op", "Changed on"),
    "export.key.code": ("Wat je kunt", "What you can do"),
    "export.key.level": ("Niveau", "Level"),
    "export.key.kind": ("Soort", "Kind"),
    "export.key.granted": ("Ja gezegd", "Said yes"),
    "export.key.wording_version": ("Versie van de tekst bij het vakje",
                                   "Version of the tick box text"),
    "export.key.documents": ("Versie van voorwaarden en privacyregels",
                             "Version of the terms and privacy statement"),
    "export.key.at": ("Wanneer", "When"),
    "export.key.event": ("Evenement", "Event"),
    "export.key.starts_at": ("Begint op", "Starts on"),
    "export.key.status": ("Status", "Status"),
    "export.key.cancelled_at": ("Afgemeld op", "Cancelled on"),
    "export.key.checked_in_at": ("Binnengekomen op", "Came in on"),
    "export.key.checked_in_door": ("Deur", "Door"),
    "export.key.registration_id": ("Aanmelding (nummer)", "Sign-up (number)"),
    "export.key.door": ("Deur", "Door"),
    "export.key.scanned_at": ("Gescand op", "Scanned on"),
    "export.key.employer": ("Werkgever", "Employer"),
    "export.key.note": ("Notitie", "Note"),
    "export.key.rating": ("Cijfer (0 tot 5)", "Rating (0 to 5)"),
    "export.key.reason": ("Reden", "Reason"),
    "export.key.owner_name": ("Wie het opvolgt", "Who follows it up"),
    "export.key.status_changed_at": ("Status veranderd op", "Status changed on"),
    "export.key.actor": ("Wie", "Who"),
    "export.key.action": ("Wat", "What"),
    "export.key.fields": ("Welke gegevens", "Which details"),
    "export.key.sent_at": ("Verstuurd op", "Sent on"),
    "export.consent.terms": ("Voorwaarden en privacyregels", "Terms and privacy statement"),
    "export.consent.share_profile": ("Je naam en contact delen met werkgevers",
                                     "Share your name and contact details with employers"),
    "export.status.registered": ("Aangemeld", "Signed up"),
    "export.status.waiting_list": ("Op de wachtlijst", "On the waiting list"),
    "export.status.cancelled": ("Afgemeld", "Cancelled"),
    "export.mail.registration": ("Bevestiging van je aanmelding", "Confirmation of your sign-up"),
    "export.mail.visitor": ("Link naar je eigen pagina", "Link to your own page"),
    "export.mail.followup": ("Bericht na het evenement", "Message after the event"),
    "export.mail_status.pending": ("Nog niet verstuurd", "Not sent yet"),
    "export.mail_status.sent": ("Verstuurd", "Sent"),
    "export.mail_status.failed": ("Niet gelukt", "Failed"),
    "export.mail_status.skipped": ("Niet nodig", "Not needed"),
    "export.actor.self": ("Jij zelf", "You"),
    "export.action.registration.created": ("Aangemeld", "Signed up"),
    "export.action.registration.cancelled": ("Afgemeld", "Cancelled"),
    "export.action.profile.viewed": ("Zag je profiel", "Saw your profile"),
    # Column headers of the employer's list of visitors (CSV, XLSX)
    "interest_export.sheet": ("Bezoekers", "Visitors"),
    "interest_export.first_name": ("Voornaam", "First name"),
    "interest_export.name": ("Naam", "Name"),
    "interest_export.email": ("E-mailadres", "E-mail address"),
    "interest_export.phone": ("Telefoonnummer", "Phone number"),
    "interest_export.level": ("Interesse", "Interest"),
    "interest_export.rating": ("Cijfer (0-5)", "Rating (0-5)"),
    "interest_export.note": ("Notitie", "Note"),
    "interest_export.vacancy_title": ("Vacature", "Vacancy"),
    "interest_export.mutual": ("Wil ook met jullie verder", "Wants to continue with you too"),
    "interest_export.created_at": ("Gesproken op", "Talked on"),
    "interest_export.updated_at": ("Veranderd op", "Changed on"),
    "export.yes": ("Ja", "Yes"),
    "export.no": ("Nee", "No"),
    "export.json_hint": (
        "Wil je alles als bestand, bijvoorbeeld voor een andere organisatie?",
        "Do you want everything as a file, for example for another organisation?",
    ),
})


def _merge_area_texts() -> None:
    """Add the texts of every module in ``event_ops/texts/`` (see its docstring)."""
    import importlib
    import pkgutil

    from event_ops import texts

    for info in sorted(pkgutil.iter_modules(texts.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{texts.__name__}.{info.name}")
        for key, pair in module.TEXTS.items():
            if key in TEXTS:
                raise RuntimeError(f"text {key!r} defined twice (texts/{info.name}.py)")
            TEXTS[key] = pair


_merge_area_texts()


#: key → text for the translated languages (ar, uk, tr, pl), loaded on first use.
_TABLES: dict[str, dict[str, str]] = {}


def _table(lang: str) -> dict[str, str]:
    table = _TABLES.get(lang)
    if table is None:
        table = _TABLES[lang] = catalogs.translated_table(lang, TEXTS)
    return table


def reload_catalogs() -> None:
    """Forget the loaded catalogs (after ``make messages``, or in tests)."""
    _TABLES.clear()


def t(key: str, lang: str = "nl", **values: object) -> str:
    """The text ``key`` in ``lang`` with ``{placeholders}`` filled in from ``values``.

    Dutch and English come from the tuples; the other visitor languages from their
    catalog, falling back to English per text (event_ops/catalogs.py). An unknown language
    shows Dutch; an unknown key shows the key itself, so gaps are easy to spot."""
    if lang == "en" or lang == "nl" or lang not in VISITOR_LANGUAGES:
        pair = TEXTS.get(key)
        if pair is None:
            return key
        text = pair[1] if lang == "en" else pair[0]
    else:
        found = (_TABLES.get(lang) or _table(lang)).get(key)
        if found is None:
            pair = TEXTS.get(key)  # added after the table was loaded
            if pair is None:
                return key
            found = pair[1]
        text = found
    if not values:
        return text
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):
        # A translation with a broken placeholder must not break the page: English.
        return TEXTS[key][1].format(**values)


def _primary(tag: str | None) -> str:
    return (tag or "").strip().split("-")[0].split("_")[0].lower()


def choose_language(
    explicit: str | None = None,
    saved: tuple[str | None, ...] = (),
    accept_language: str | None = None,
    allowed: tuple[str, ...] = VISITOR_LANGUAGES,
) -> str:
    """The one rule for a page's language: the explicit choice (``?lang=`` or the language
    menu), else the saved preferences in the order given (the ``lang`` cookie, the
    visitor's ``language``), else the browser's ``Accept-Language`` by q-value, else Dutch.
    Only ``allowed`` languages count: a staff page (nl, en) asked for "ar" goes on to the
    next source."""
    for candidate in (explicit, *saved):
        if _primary(candidate) in allowed:
            return _primary(candidate)
    if accept_language:
        ranked: list[tuple[float, int, str]] = []
        for position, item in enumerate(accept_language.split(",")):
            tag, _, params = item.partition(";")
            quality = 1.0
            for param in params.split(";"):
                name, _, value = param.strip().partition("=")
                if name == "q":
                    try:
                        quality = float(value)
                    except ValueError:
                        quality = 0.0
            lang = _primary(tag)
            if quality > 0 and lang in allowed:
                ranked.append((-quality, position, lang))
        if ranked:
            return min(ranked)[2]
    return "nl"
