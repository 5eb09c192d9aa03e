"""Texts of the registration page's answers to the event's sign-up questions."""

TEXTS: dict[str, tuple[str, str]] = {
    "desk.answers": ("Antwoorden op de vragen", "Answers to the questions"),
    "desk.answer.none": ("Geen antwoord", "No answer"),
}
