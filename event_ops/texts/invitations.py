"""Invitations of visitors: the import, the list, the mail and SMS with the personal link."""

TEXTS: dict[str, tuple[str, str]] = {
    "error.invitation_unsendable": (
        "Deze persoon heeft alleen een telefoonnummer, en sms staat uit. We kunnen de "
        "uitnodiging niet sturen.",
        "This person has only a phone number and SMS is off. We cannot send the invitation."),
    "error.invitation_not_found": (
        "Deze uitnodiging bestaat niet (meer). Vraag je jobcoach of de organisator om een "
        "nieuwe link.",
        "This invitation does not exist (any more). Ask your job coach or the organiser "
        "for a new link."),
    # the sheet
    "inv.err.name": ("Een naam heeft 2 tot 200 tekens.", "A name has 2 to 200 characters."),
    "inv.err.phone": ("Dit is geen telefoonnummer. Schrijf bijvoorbeeld 06 12345678.",
                      "This is not a phone number. Write for example 06 12345678."),
    "inv.err.contact": ("Vul een e-mailadres of een telefoonnummer in.",
                        "Fill in an e-mail address or a phone number."),
    "inv.err.contact_column": ("Het blad heeft een kolom email of phone nodig.",
                               "The sheet needs a column email or phone."),
    "inv.err.coach_unknown": ("Geen jobcoach gevonden met naam of e-mail '{value}'.",
                              "No job coach found with name or e-mail '{value}'."),
    "inv.err.coach_many": ("Er zijn meer jobcoaches met de naam '{value}'. Gebruik hun "
                           "e-mailadres.",
                           "More job coaches are called '{value}'. Use their e-mail address."),
    "inv.err.language": ("Onbekende taal '{value}'. Schrijf nl of en.",
                         "Unknown language '{value}'. Write nl or en."),
    "inv.err.duplicate": ("Deze persoon staat ook in rij {row}.",
                          "This person is also in row {row}."),
    "inv.err.no_rows": ("Het blad heeft geen mensen.", "The sheet has no people."),
    # the page
    "inv.heading": ("Uitnodigingen", "Invitations"),
    "inv.intro": ("Nodig mensen uit met een eigen link naar het aanmeldformulier. Zo kunnen "
                  "ze zich ook aanmelden als het evenement alleen op uitnodiging is.",
                  "Invite people with their own link to the sign-up form. This way they can "
                  "sign up even when the event is by invitation only."),
    "inv.counts": ("{total} uitgenodigd: {invited} nog niet geopend, {opened} geopend, "
                   "{registered} aangemeld.",
                   "{total} invited: {invited} not opened yet, {opened} opened, "
                   "{registered} signed up."),
    "inv.not_sent_count": ("{n} uitnodigingen zijn niet verstuurd.",
                           "{n} invitations were not sent."),
    "inv.sms_off": ("Sms staat uit. Mensen met alleen een telefoonnummer krijgen nu geen "
                    "uitnodiging; ze staan op 'niet verstuurd'.",
                    "SMS is off. People with only a phone number get no invitation now; "
                    "they are marked 'not sent'."),
    "inv.sms_on": ("Mensen zonder e-mailadres krijgen de link per sms.",
                   "People without an e-mail address get the link by SMS."),
    "inv.coach_only": ("Je ziet alleen de mensen die jij hebt uitgenodigd of die jou als "
                       "jobcoach hebben.",
                       "You see only the people you invited or who have you as their "
                       "job coach."),
    "inv.list.caption": ("Uitgenodigde mensen", "Invited people"),
    "inv.list.empty": ("Nog niemand uitgenodigd.", "Nobody invited yet."),
    "inv.col.name": ("Naam", "Name"),
    "inv.col.contact": ("Contact", "Contact"),
    "inv.col.coach": ("Jobcoach", "Job coach"),
    "inv.col.status": ("Status", "Status"),
    "inv.col.sent": ("Verstuurd", "Sent"),
    "inv.col.action": ("Actie", "Action"),
    "inv.status.invited": ("Uitgenodigd", "Invited"),
    "inv.status.opened": ("Geopend", "Opened"),
    "inv.status.registered": ("Aangemeld", "Signed up"),
    "inv.channel.mail": ("per e-mail", "by e-mail"),
    "inv.channel.sms": ("per sms", "by SMS"),
    "inv.channel.none": ("niet verstuurd", "not sent"),
    "inv.resend": ("Opnieuw sturen", "Send again"),
    "inv.resend.to": ("Opnieuw sturen naar {name}", "Send again to {name}"),
    "inv.resent": ("De uitnodiging is opnieuw verstuurd.", "The invitation was sent again."),
    "inv.imported": ("Klaar: {created} mensen uitgenodigd, {known} waren al uitgenodigd.",
                     "Done: {created} people invited, {known} were invited already."),
    "inv.import.heading": ("Lijst met mensen inlezen", "Import a list of people"),
    "inv.import.rules": ("Eén rij per persoon. Vul een e-mailadres of een telefoonnummer in. "
                         "Wie al is uitgenodigd, krijgt geen tweede uitnodiging.",
                         "One row per person. Fill in an e-mail address or a phone number. "
                         "People invited already do not get a second invitation."),
    "inv.import.columns": ("Kolommen:", "Columns:"),
    "inv.preview.heading": ("Controleer de lijst: {file}", "Check the list: {file}"),
    "inv.preview.summary": ("{created} nieuwe mensen ({mail} per e-mail, {sms} per sms, "
                            "{none} niet te versturen), {known} al uitgenodigd.",
                            "{created} new people ({mail} by e-mail, {sms} by SMS, "
                            "{none} cannot be sent), {known} invited already."),
    "inv.preview.nothing_yet": ("Er is nog niets verstuurd. Klik op Uitnodigen om de "
                                "uitnodigingen te versturen.",
                                "Nothing was sent yet. Click Invite to send the "
                                "invitations."),
    "inv.preview.caption": ("Wat er gebeurt", "What will happen"),
    "inv.action.create": ("Nieuw", "New"),
    "inv.action.known": ("Al uitgenodigd", "Invited already"),
    "inv.confirm": ("Uitnodigen", "Invite"),
    "inv.problems.heading": ("{n} fouten in {file}", "{n} problems in {file}"),
    "inv.problems.nothing": ("Er is niets opgeslagen of verstuurd. Verbeter het blad en "
                             "probeer het opnieuw.",
                             "Nothing was stored or sent. Correct the sheet and try again."),
    "bo.nav.event.invitations": ("Uitnodigingen", "Invitations"),
    # the invitation itself
    "inv.mail.subject": ("Uitnodiging: {event}", "Invitation: {event}"),
    "inv.mail.body": (
        "Beste {name},\n\nJe bent uitgenodigd voor {event} ({when}).\n"
        "Meld je aan via je eigen link:\n{url}\n\n"
        "De link is alleen voor jou. Wil je niet komen? Dan hoef je niets te doen.",
        "Dear {name},\n\nYou are invited to {event} ({when}).\n"
        "Sign up with your own link:\n{url}\n\n"
        "The link is only for you. Do you not want to come? Then you need not do anything."),
    "inv.sms.body": ("Je bent uitgenodigd voor {event} ({when}). Meld je aan: {url}",
                     "You are invited to {event} ({when}). Sign up: {url}"),
    "inv.form.intro": ("Je bent uitgenodigd. We hebben je gegevens al ingevuld; kijk of "
                       "ze kloppen.",
                       "You are invited. We filled in your details already; check that "
                       "they are right."),
}
