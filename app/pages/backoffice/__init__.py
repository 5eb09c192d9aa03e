"""The organisers' back office: server-rendered pages under /admin/ (one module per area)."""
