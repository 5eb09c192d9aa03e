"""The "read aloud" button on the sign-up form and the visitor's own page
(templates/_read_aloud.html, static/js/read-aloud.js)."""

TEXTS: dict[str, tuple[str, str]] = {
    "read_aloud.start": ("Lees voor", "Read aloud"),
    "read_aloud.stop": ("Stop met voorlezen", "Stop reading"),
    "read_aloud.hint": ("Je computer of telefoon leest de tekst van deze pagina voor.",
                        "Your computer or phone reads the text of this page aloud."),
}
