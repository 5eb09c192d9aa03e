import os

# Piccolo finds its engine through this module; set it before any table is touched.
os.environ.setdefault("PICCOLO_CONF", "app.piccolo_conf")
