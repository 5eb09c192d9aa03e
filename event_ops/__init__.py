import os

# Piccolo finds its engine through this module; set it before any table is touched (every
# table lives below this package, so importing one runs this first).
os.environ.setdefault("PICCOLO_CONF", "event_ops.core.piccolo_conf")
