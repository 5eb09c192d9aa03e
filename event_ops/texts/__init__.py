"""Texts per area, one module each (``event_ops/texts/<area>.py`` with a ``TEXTS`` dict of
key → (Dutch, English)). ``event_ops.i18n`` merges every module here into its table at import
time and refuses a key defined twice, so areas can add texts without touching one big file."""
