# The web layer: HTTP, pages, websockets and the command line. Importing it sets up Piccolo's
# configuration (see event_ops/__init__.py) before any table is touched.
import event_ops  # noqa: F401
