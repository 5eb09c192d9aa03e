"""The language menu and the gettext catalogs (issue #19): texts moved out of code."""

TEXTS: dict[str, tuple[str, str]] = {
    "lang.menu": ("Taal", "Language"),
}
