"""Questions per event on the sign-up form, and the visitors' answers.

See ``event_ops.questions.service`` for the rules and the functions other contexts call
(``questions_for``, ``answers_for``, ``validate_answers``, ``store_answers``).
"""
