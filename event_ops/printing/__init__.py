"""Printing badges: bulk print runs (who printed which badges, when) and the background
job that renders a run's print sheet (``badge_runs``); on-site print stations (paired
devices) and their queue of print jobs."""
