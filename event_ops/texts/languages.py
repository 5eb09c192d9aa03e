"""The language menu and the gettext catalogs (issue #19): texts moved out of code."""

TEXTS: dict[str, tuple[str, str]] = {
    "lang.menu": ("Taal", "Language"),
    # The visitor's own data page (app/pages/data_page.py): names it showed as raw codes.
    "export.section.messages_from_organisers": ("Berichten van de organisatie",
                                                "Messages from the organisers"),
    "export.key.messages_opt_out": ("Geen berichten meer", "No more messages"),
    "export.action.registration.viewed": ("Zag je aanmelding", "Saw your sign-up"),
    "export.channel.mail": ("Per e-mail", "By e-mail"),
    "export.channel.sms": ("Per sms", "By text message"),
}
