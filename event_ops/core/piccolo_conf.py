"""Piccolo's configuration module (``PICCOLO_CONF=event_ops.core.piccolo_conf``).

The engine is built once from the settings; every table and the migration runner use it.
"""

from piccolo.conf.apps import AppRegistry

from event_ops.core.db import build_engine
from event_ops.core.settings import get_settings

DB = build_engine(get_settings())

APP_REGISTRY = AppRegistry(apps=["event_ops.piccolo_app"])
