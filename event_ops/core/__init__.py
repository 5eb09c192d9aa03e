"""The core every other layer stands on: settings, the database engines, Piccolo's
configuration, the domain error type and the registry of per-process caches (``caches``).

Layers, top down (checked by import-linter in ``make lint``): ``app`` (HTTP, pages,
websockets, CLI) → ``checkin``, ``badges`` and the domain modules of ``event_ops`` →
``event_ops.core``. The core imports nothing of the project outside itself.
"""
