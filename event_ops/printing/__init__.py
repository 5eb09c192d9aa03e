"""Printing badges in bulk: print runs (who printed which badges, when) and the background
job that renders a run's print sheet (``badge_runs``)."""
