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

    # -- the visitor's pool page (/me/{token}/pool) and the section on the own page
    "pool.heading": ("Kandidatenpool", "Candidate pool"),
    "pool.me.link": ("Naar de kandidatenpool", "Go to the candidate pool"),
    "pool.me.intro": (
        "In de kandidatenpool kunnen werkgevers je vinden, ook tussen de banenmarkten door."
        " Je doet alleen mee als je dat zelf wilt.",
        "In the candidate pool employers can find you, also between the job fairs."
        " You only take part if you want to."),
    "pool.me.in": ("Je staat in de pool tot en met {date}.",
                   "You are in the pool until {date}."),
    "pool.me.out": ("Je staat niet in de pool.", "You are not in the pool."),
    "pool.me.open_requests": ("Open vragen om contact: {n}", "Open requests for contact: {n}"),
    "pool.what_heading": ("Wat werkgevers zien", "What employers see"),
    "pool.what_they_see": (
        "Werkgevers zien een code in plaats van je naam. Ze zien wat je kunt en hoe goed."
        " Ze zien welk werk je zoekt en je opleiding. Ze zien wanneer en hoeveel uur je kunt"
        " werken. En ongeveer hoe ver je van hen woont.",
        "Employers see a code instead of your name. They see what you can do and how well,"
        " the kind of work you want, your education, when and how many hours you can work,"
        " from when, and roughly how far away you live."),
    "pool.what_they_dont": (
        "Ze zien niet je naam, e-mail of telefoonnummer. Ook niet je precieze postcode of wat"
        " je zelf schreef.",
        "They do not see: your name, e-mail, phone number, exact postcode or anything you"
        " wrote yourself."),
    "pool.how_contact": (
        "Een werkgever kan vragen om contact met je. Jij beslist: ja of nee. Alleen als je ja"
        " zegt, krijgt die werkgever de gegevens die je hieronder kiest.",
        "An employer can ask to contact you. You decide: yes or no. Only if you say yes,"
        " that employer gets the details you choose below."),
    "pool.profile_source": (
        "Deze gegevens komen uit je profiel op je eigen pagina. Het gaat om wat je kunt,"
        " soort werk, opleiding, wanneer je kunt en je postcode. Pas je profiel aan, dan"
        " verandert het hier ook.",
        "These details come from the profile on your own page: what you can do, kind of"
        " work, education, when you can work and your postcode. Change your profile and it"
        " changes here too."),
    "pool.end_rule": (
        "Na de einddatum kunnen werkgevers je niet meer vinden. Twee weken ervoor krijg je een"
        " mail om te verlengen. Verleng je niet, dan verwijderen we je poolgegevens 30 dagen"
        " na de einddatum.",
        "After the end date employers can no longer find you. Two weeks before it you get a"
        " mail to renew. If you do not renew, we delete your pool data 30 days after the end"
        " date."),
    "pool.choices_heading": ("Jouw keuzes", "Your choices"),
    "pool.months": ("Hoe lang wil je in de pool staan?",
                    "How long do you want to be in the pool?"),
    "pool.months.n": ("{n} maanden", "{n} months"),
    "pool.hours": ("Hoeveel uur per week wil je werken?",
                   "How many hours a week do you want to work?"),
    "pool.hours_min": ("Minimaal (uren)", "At least (hours)"),
    "pool.hours_max": ("Maximaal (uren)", "At most (hours)"),
    "pool.available_from": ("Vanaf wanneer kun je beginnen?", "From when can you start?"),
    "pool.available_from.hint": ("Niet verplicht. Leeg: nu al.",
                                 "Not required. Empty: right now."),
    "pool.max_distance": ("Hoe ver wil je reizen? (km)", "How far do you want to travel? (km)"),
    "pool.max_distance.hint": ("Niet verplicht.", "Not required."),
    "pool.share": ("Wat krijgt een werkgever als je ja zegt?",
                   "What does an employer get when you say yes?"),
    "pool.share.hint": ("Kies minstens één.", "Choose at least one."),
    "pool.share.name": ("Mijn naam", "My name"),
    "pool.share.email": ("Mijn e-mailadres", "My e-mail address"),
    "pool.share.phone": ("Mijn telefoonnummer", "My phone number"),
    "pool.consent": (
        "Ja, ik wil in de kandidatenpool. Ik heb gelezen wat werkgevers zien en wat ze krijgen"
        " als ik ja zeg.",
        "Yes, I want to be in the candidate pool. I read what employers see and what they get"
        " when I say yes."),
    "pool.consent.version": ("Versie van deze tekst: {version}",
                             "Version of this text: {version}"),
    "pool.join": ("In de pool", "Join the pool"),
    "pool.save": ("Opslaan en verlengen", "Save and renew"),
    "pool.renew_heading": ("Verlengen", "Renew"),
    "pool.renew": ("Verleng met {n} maanden", "Renew for {n} months"),
    "pool.withdraw_heading": ("Stoppen", "Leave"),
    "pool.withdraw.hint": (
        "Werkgevers kunnen je dan meteen niet meer vinden. Open vragen vervallen.",
        "Employers can no longer find you straight away. Open requests end."),
    "pool.withdraw": ("Uit de pool", "Leave the pool"),
    "pool.saved": ("Je staat in de pool.", "You are in the pool."),
    "pool.withdrawn": ("Je staat niet meer in de pool.", "You are no longer in the pool."),
    "pool.decided.accepted": ("Je hebt ja gezegd. De werkgever krijgt je gegevens.",
                              "You said yes. The employer gets your details."),
    "pool.decided.declined": ("Je hebt nee gezegd. De werkgever krijgt niets.",
                              "You said no. The employer gets nothing."),
    "pool.requests_heading": ("Wie vroeg om contact", "Who asked for contact"),
    "pool.requests.none": ("Nog niemand.", "Nobody yet."),
    "pool.request.about": ("Over: {about}", "About: {about}"),
    "pool.request.when": ("Gevraagd op {when}", "Asked on {when}"),
    "pool.request.message": ("Bericht van de werkgever", "Message from the employer"),
    "pool.request.accept": ("Ja, deel mijn gegevens", "Yes, share my details"),
    "pool.request.decline": ("Nee, liever niet", "No, thank you"),
    "pool.request.gets": ("Als je ja zegt, krijgt {org}: {fields}.",
                          "If you say yes, {org} gets: {fields}."),
    "pool.status.requested": ("Wacht op jouw antwoord", "Waiting for your answer"),
    "pool.status.accepted": ("Je zei ja", "You said yes"),
    "pool.status.declined": ("Je zei nee", "You said no"),
    "pool.status.withdrawn": ("Ingetrokken door de werkgever", "Withdrawn by the employer"),
    "pool.status.expired": ("Vervallen", "Ended"),
    "pool.by_coach": ("Gedaan door je jobcoach", "Done by your job coach"),
    "pool.field.name": ("naam", "name"),
    "pool.field.email": ("e-mailadres", "e-mail address"),
    "pool.field.phone": ("telefoonnummer", "phone number"),
    # -- mails to the member (event_ops/pool/requests.py, membership.py): in their language
    "mail.pool.requested.subject": ("Een werkgever wil contact met je",
                                    "An employer would like to contact you"),
    "mail.pool.requested.who": ("{org} wil graag contact met je over: {about}.",
                                "{org} would like to contact you about: {about}."),
    "mail.pool.requested.not_yet": (
        "Zij weten je naam en contactgegevens nog niet. Jij beslist of je dat wilt.",
        "They do not know your name or contact details yet. You decide if you want that."),
    "mail.pool.requested.look": ("Kijk op je eigen pagina: {url}",
                                 "Look on your own page: {url}"),
    "mail.pool.reminder.subject": ("Blijf je in de kandidatenpool?",
                                   "Staying in the candidate pool?"),
    "mail.pool.reminder.until": ("Je staat in de kandidatenpool tot en met {date}.",
                                 "You are in the candidate pool until {date}."),
    "mail.pool.reminder.renew": ("Wil je erin blijven? Verleng op je eigen pagina: {url}",
                                 "Want to stay? Renew on your own page: {url}"),
    "mail.pool.reminder.otherwise": (
        "Doe je niets? Dan kunnen werkgevers je daarna niet meer vinden. Een maand later"
        " verwijderen we je poolgegevens.",
        "If you do nothing, employers can no longer find you after that date. A month later"
        " we delete your pool data."),
    # -- the mail to the employer's contact on acceptance: Dutch and English together
    "pool.mail_employer.subject": ("Een kandidaat wil contact",
                                   "A candidate accepted your request"),
    "pool.mail_employer.accepted": ("Kandidaat {ref} wil contact met jullie over: {about}"
                                    " ({when}).",
                                    "Candidate {ref} accepted your request about: {about}"
                                    " ({when})."),
    "pool.mail_employer.details": ("Deze gegevens mag je gebruiken voor dit contact:",
                                   "You may use these details for this contact:"),
    "pool.mail_employer.only": ("Gebruik ze alleen hiervoor.", "Use them for this only."),
    "pool.mail_employer.name": ("Naam", "Name"),
    "pool.mail_employer.email": ("E-mail", "E-mail"),
    "pool.mail_employer.phone": ("Telefoon", "Phone"),
    # -- the job coach acting for a client (/admin/caseload/clients/{id}/pool)
    "pool.coach.link": ("Kandidatenpool", "Candidate pool"),
    "pool.coach.heading": ("Kandidatenpool voor {name}", "Candidate pool for {name}"),
    "pool.coach.consent": (
        "Mijn cliënt heeft mij toestemming gegeven voor de kandidatenpool. Ik heb met mijn"
        " cliënt gelezen wat werkgevers zien en wat ze krijgen bij ja.",
        "My client gave me their consent for the candidate pool. I read with my client what"
        " employers see and what they get on yes."),
    "pool.coach.recorded": (
        "We bewaren dat de toestemming aan jou is gegeven, vandaag, voor deze versie van de"
        " tekst.",
        "We keep that the consent was given to you, today, for this version of the text."),
    "pool.coach.decide_hint": ("Beslis alleen samen met je cliënt.",
                               "Decide only together with your client."),
    # -- organisers' figures
    "pool.figures.heading": ("Kandidatenpool", "Candidate pool"),
    "pool.figures.members": ("Mensen in de pool nu", "People in the pool now"),
    "pool.figures.employers": ("Werkgevers die de pool gebruiken (12 maanden)",
                               "Employers using the pool (12 months)"),
    "pool.figures.target": ("Doel: {n}", "Target: {n}"),
    # -- the data page (app/pages/data_page.py)
    "export.section.candidate_pool": ("Kandidatenpool", "Candidate pool"),
    "export.section.pool_contact_requests": ("Vragen om contact (kandidatenpool)",
                                             "Requests for contact (candidate pool)"),
    "export.section.pool_history": ("Wie iets deed of zag in de kandidatenpool",
                                    "Who did or saw something in the candidate pool"),
    "export.action.pool.joined": ("In de pool gezet", "Joined the pool"),
    "export.action.pool.renewed": ("Verlengd", "Renewed"),
    "export.action.pool.withdrawn": ("Uit de pool gegaan", "Left the pool"),
    "export.action.pool.reminded": ("Herinnering gestuurd", "Reminder sent"),
    "export.action.pool.viewed": ("Jobcoach bekeek je poolgegevens",
                                  "Job coach looked at your pool data"),
    "export.action.pool.contact_requested": ("Werkgever vroeg om contact",
                                             "Employer asked for contact"),
    "export.action.pool.request_accepted": ("Ja gezegd", "Said yes"),
    "export.action.pool.request_declined": ("Nee gezegd", "Said no"),
    "export.action.pool.request_withdrawn": ("Werkgever trok de vraag in",
                                             "Employer withdrew the request"),
    "export.action.pool.request_expired": ("Vraag vervallen", "Request ended"),
    "export.action.pool.details_viewed": ("Werkgever bekeek je gedeelde gegevens",
                                          "Employer looked at your shared details"),
    "export.consent.pool": ("Kandidatenpool", "Candidate pool"),
    "export.mail.pool": ("Kandidatenpool", "Candidate pool"),
    "export.key.ref": ("Jouw code in de pool", "Your code in the pool"),
    "export.key.consent_by": ("Toestemming gegeven door", "Consent given by"),
    "export.key.consented_at": ("Toestemming op", "Consent on"),
    "export.key.ends_on": ("Tot en met", "Until"),
    "export.key.reminded_at": ("Herinnering gestuurd op", "Reminder sent on"),
    "export.key.withdrawn_at": ("Gestopt op", "Left on"),
    "export.key.hours_min": ("Minimaal uren", "At least hours"),
    "export.key.hours_max": ("Maximaal uren", "At most hours"),
    "export.key.available_from": ("Beschikbaar vanaf", "Available from"),
    "export.key.max_distance_km": ("Reisafstand (km)", "Travel distance (km)"),
    "export.key.share_fields": ("Wat een werkgever krijgt bij ja",
                                "What an employer gets on yes"),
    "export.key.about": ("Over", "About"),
    "export.key.message": ("Bericht", "Message"),
    "export.key.decided_at": ("Beslist op", "Decided on"),
    "export.key.decided_by": ("Beslist door", "Decided by"),
    "export.key.released_fields": ("Gedeeld", "Shared"),
}
