#!/bin/sh
# Validates the example deployment files (`make check-deploy`, part of `make test`):
#   caddy validate, nginx -t and systemd-analyze verify.
# Machine-specific paths (the TLS certificate, the virtualenv) are swapped for a throwaway
# self-signed certificate and this checkout's .venv in a temporary copy; everything else is
# checked as written.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
venv=${VENV:-$root/.venv}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "caddy: deploy/Caddyfile"
caddy validate --config "$here/Caddyfile" --adapter caddyfile >"$tmp/caddy.log" 2>&1 ||
  { cat "$tmp/caddy.log"; exit 1; }

echo "nginx: deploy/nginx.conf"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=eventops.example.nl" \
  -keyout "$tmp/privkey.pem" -out "$tmp/fullchain.pem" >/dev/null 2>&1
sed -e "s#/etc/letsencrypt/live/eventops.example.nl#$tmp#" \
    -e "s#/var/log/nginx/#$tmp/#" "$here/nginx.conf" >"$tmp/site.conf"
cat >"$tmp/nginx.conf" <<CONF
events {}
http {
    include $tmp/site.conf;
}
CONF
nginx -t -q -p "$tmp" -c "$tmp/nginx.conf" -g "pid $tmp/nginx.pid; error_log $tmp/error.log;"

echo "systemd: deploy/eventops.service"
if [ ! -x "$venv/bin/eventops" ]; then
  echo "no $venv/bin/eventops: run make install first" >&2; exit 1
fi
sed -e "s#/srv/eventops/venv#$venv#g" "$here/eventops.service" >"$tmp/eventops.service"
systemd-analyze verify "$tmp/eventops.service"
echo "deploy files: valid"
