"""Follow-up after an event: every promising interest becomes a *match* that a job coach or
account manager (its *owner*) moves through a fixed pipeline until it ends in a job, a
training or "no match".

* ``pipeline`` – the transition table (pure, no database);
* ``service``  – matches: created by the interest hook, status changes, owners, the board list;
* ``tasks``    – ``run_followup_tasks(now)``: idle reminders, 2/8-week checkpoints and the
  after-event mails to visitors and employers (run by the CLI and hourly by the app);
* ``mail``     – renders those mails when the outbox sends them;
* ``worker``   – the hourly job the app runs (``app.tasks.Periodic``).
"""
