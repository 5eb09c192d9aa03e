"""Messages from organisers to a selection of visitors, reminders before an event, the SMS
channel of the outbox, and opting out of everything a registration does not need."""
