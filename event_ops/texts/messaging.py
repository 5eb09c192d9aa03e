"""Messages, reminders, SMS and unsubscribing (event_ops/messaging and its pages)."""

TEXTS: dict[str, tuple[str, str]] = {
    # -- mail and SMS
    "mail.unsubscribe": (
        "Wil je geen herinneringen en berichten meer? Klik hier: {url}",
        "Don't want reminders and messages any more? Click here: {url}",
    ),
    "sms.stop": ("Geen sms meer? {url}", "No more texts? {url}"),
    "mail.reminder.two_days": (
        "Over twee dagen is {event}. Fijn dat je komt!",
        "{event} is in two days. Great that you are coming!",
    ),
    "mail.reminder.two_days.subject": ("Over twee dagen: {event}", "In two days: {event}"),
    "mail.reminder.morning": (
        "Vandaag is {event}. Neem je badge mee: op papier of op je telefoon.",
        "{event} is today. Bring your badge: on paper or on your phone.",
    ),
    "mail.reminder.morning.subject": ("Vandaag: {event}", "Today: {event}"),
    "mail.reminder.route": ("Zo kom je er: {route}", "How to get there: {route}"),
    # -- the visitor's own page
    "me.messages.heading": ("Herinneringen en berichten", "Reminders and messages"),
    "me.messages.on": (
        "Je krijgt een herinnering voor het evenement en soms een bericht van de organisatie.",
        "You get a reminder before the event and sometimes a message from the organisers.",
    ),
    "me.messages.off": (
        "Je krijgt geen herinneringen en berichten. Mails over je aanmelding krijg je wel.",
        "You get no reminders and messages. You do get mails about your sign-up.",
    ),
    "me.messages.turn_off": ("Zet herinneringen en berichten uit",
                             "Turn reminders and messages off"),
    "me.messages.turn_on": ("Zet herinneringen en berichten weer aan",
                            "Turn reminders and messages on again"),
    # -- unsubscribe page
    "unsubscribe.title": ("Geen berichten meer", "No more messages"),
    "unsubscribe.intro": (
        "Je krijgt dan geen herinneringen en geen berichten van de organisatie meer. "
        "Mails over je aanmelding zelf krijg je wel.",
        "You will then get no reminders and no messages from the organisers. "
        "You do still get mails about your sign-up itself.",
    ),
    "unsubscribe.button": ("Stop met berichten", "Stop messages"),
    "unsubscribe.done": (
        "Klaar. Je krijgt geen herinneringen en berichten meer.",
        "Done. You will get no more reminders and messages.",
    ),
    "unsubscribe.undo": ("Toch weer berichten krijgen", "Get messages again"),
    "unsubscribe.back_on": ("Je krijgt weer herinneringen en berichten.",
                            "You will get reminders and messages again."),
    "unsubscribe.invalid": (
        "Deze link werkt niet. Kijk of je de hele link uit de mail hebt gebruikt.",
        "This link does not work. Check that you used the whole link from the mail.",
    ),
    # -- organisers' messages page
    "bo.nav.event.messages": ("Berichten", "Messages"),
    "messages.title": ("Berichten aan bezoekers", "Messages to visitors"),
    "messages.intro": (
        "Schrijf een bericht aan een groep bezoekers. Eerst zie je hoe het eruitziet en "
        "hoeveel mensen het krijgen. Pas daarna verstuur je het.",
        "Write a message to a group of visitors. First you see what it looks like and how "
        "many people get it. Only then do you send it.",
    ),
    "messages.new": ("Nieuw bericht", "New message"),
    "messages.sent_list": ("Verstuurde berichten", "Messages sent"),
    "messages.none": ("Nog geen berichten verstuurd.", "No messages sent yet."),
    "messages.who": ("Wie krijgt het bericht?", "Who gets the message?"),
    "messages.status": ("Status van de aanmelding", "Status of the sign-up"),
    "messages.status.registered": ("Aangemeld", "Registered"),
    "messages.status.waiting_list": ("Wachtlijst", "Waiting list"),
    "messages.status.cancelled": ("Afgemeld", "Cancelled"),
    "messages.attendance": ("Aanwezig", "Attendance"),
    "messages.attendance.any": ("Maakt niet uit", "Any"),
    "messages.attendance.checked_in": ("Is binnen geweest", "Checked in"),
    "messages.attendance.not_checked_in": ("Nog niet binnen", "Not checked in"),
    "messages.attendance.no_show": ("Niet gekomen (na het evenement)",
                                    "Did not come (after the event)"),
    "messages.language": ("Taal van de bezoeker", "Visitor's language"),
    "messages.language.any": ("Alle talen", "All languages"),
    "messages.language.nl": ("Nederlands", "Dutch"),
    "messages.language.en": ("Engels", "English"),
    "messages.channels": ("Hoe versturen?", "How to send?"),
    "messages.channels.mail": ("E-mail", "E-mail"),
    "messages.channels.sms": ("Sms", "Text message (SMS)"),
    "messages.channels.mail_or_sms": ("E-mail, en sms voor wie geen e-mail heeft",
                                      "E-mail, and SMS for those without e-mail"),
    "messages.sms_off": (
        "Sms staat uit: er is geen sms-dienst ingesteld. Berichten gaan alleen per e-mail.",
        "SMS is off: no SMS service is set up. Messages go by e-mail only.",
    ),
    "messages.subject_nl": ("Onderwerp (Nederlands)", "Subject (Dutch)"),
    "messages.body_nl": ("Bericht (Nederlands)", "Message (Dutch)"),
    "messages.subject_en": ("Onderwerp (Engels, mag leeg)", "Subject (English, optional)"),
    "messages.body_en": ("Bericht (Engels, mag leeg)", "Message (English, optional)"),
    "messages.en_hint": (
        "Zonder Engelse tekst krijgen Engelse lezers de Nederlandse tekst.",
        "Without English text, English readers get the Dutch text.",
    ),
    "messages.preview": ("Bekijk eerst", "Preview first"),
    "messages.preview.title": ("Zo ziet het bericht eruit", "This is what the message looks like"),
    "messages.preview.count": (
        "{n} mensen krijgen dit bericht: {mail} per e-mail, {sms} per sms.",
        "{n} people get this message: {mail} by e-mail, {sms} by SMS.",
    ),
    "messages.preview.unreachable": (
        "{n} mensen in deze groep kunnen we niet bereiken (geen e-mail of telefoon).",
        "{n} people in this group cannot be reached (no e-mail or phone).",
    ),
    "messages.preview.lang": ("In het {language}", "In {language}"),
    "messages.preview.opt_out": (
        "Mensen die geen berichten willen, krijgen het niet.",
        "People who asked for no messages don't get it.",
    ),
    "messages.send": ("Verstuur naar {n} mensen", "Send to {n} people"),
    "messages.change": ("Terug en aanpassen", "Back and change"),
    "messages.error.no_recipients": (
        "Niemand past bij deze keuze. Kies een andere groep.",
        "Nobody matches this choice. Choose another group.",
    ),
    "messages.error.required": ("Vul dit in.", "Fill this in."),
    "messages.error.too_long": ("Dit is te lang.", "This is too long."),
    "messages.error.both_or_none": (
        "Vul Engels onderwerp en bericht allebei in, of laat ze allebei leeg.",
        "Fill in both the English subject and message, or leave both empty.",
    ),
    "messages.error.summary": ("Er ging iets mis:", "Something went wrong:"),
    "messages.progress": ("Verstuurd: {done} van {total}", "Sent: {done} of {total}"),
    "messages.failed": (
        "{n} konden niet worden verstuurd. Zie de lijst met mislukte mails.",
        "{n} could not be sent. See the list of failed mails.",
    ),
    "messages.refresh": ("Vernieuw de stand", "Refresh the progress"),
    "messages.recipients": ("Ontvangers", "Recipients"),
    "messages.failed.heading": ("{n} berichten konden niet weg", "{n} messages could not be sent"),
    "messages.failed.intro": (
        "We hebben het vaak geprobeerd. Is de mailserver of sms-dienst weer in orde? "
        "Probeer het dan opnieuw.",
        "We tried many times. Is the mail server or SMS service working again? Then try again.",
    ),
    "messages.failed.retry": ("Probeer opnieuw", "Try again"),
    "messages.col.kind": ("Soort", "Kind"),
    "messages.col.recipient": ("Naar", "To"),
    "messages.col.error": ("Fout", "Error"),
    "messages.col.name": ("Naam", "Name"),
    "messages.col.channel": ("Via", "By"),
    "messages.col.status": ("Status", "Status"),
    "messages.outbox.pending": ("Wacht", "Waiting"),
    "messages.outbox.sent": ("Verstuurd", "Sent"),
    "messages.outbox.failed": ("Mislukt", "Failed"),
    "messages.outbox.skipped": ("Niet verstuurd", "Not sent"),
    "messages.when": ("Verstuurd op", "Sent on"),
    "messages.back": ("Terug naar berichten", "Back to messages"),
}
