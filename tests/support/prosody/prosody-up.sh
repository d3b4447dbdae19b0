#!/usr/bin/env bash
# Starts a throw-away Prosody on loopback for tests and the demo, with its own test CA, HTTP upload and accounts.
#   prosody-up.sh DIR [--domain D] [--c2s-port N] [--https-port N] [--no-tls] [--no-upload] [--no-smacks]
#                [--upload-url-port N] [--upload-slots-unanswered] [--account user:password ...]
# --no-upload leaves out the HTTP upload component (a server without XEP-0363); --no-smacks leaves out stream
# management (XEP-0198); --upload-url-port hands out upload slots on another port (a black hole, in a fault test);
# --upload-slots-unanswered makes the upload service read slot requests and never answer them (a hung service).
# Writes DIR/ca.pem (the CA that signed the server), DIR/wrong-ca.pem (an unrelated CA), DIR/data/prosody.pid, and prints
# "ready" when the c2s port accepts connections. Runs Prosody as the prosody user (it refuses root).
set -euo pipefail
dir=$1; shift
domain=garage.test c2s=5222 https=5281 tls=1 upload=1 smacks=1 upload_url_port= slots_unanswered=0 accounts=()
while [ $# -gt 0 ]; do
  case "$1" in
    --domain) domain=$2; shift 2 ;;
    --c2s-port) c2s=$2; shift 2 ;;
    --https-port) https=$2; shift 2 ;;
    --no-tls) tls=0; shift ;;
    --no-upload) upload=0; shift ;;
    --no-smacks) smacks=0; shift ;;
    --upload-url-port) upload_url_port=$2; shift 2 ;;
    --upload-slots-unanswered) slots_unanswered=1; shift ;;
    --account) accounts+=("$2"); shift 2 ;;
    *) echo "prosody-up: unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$dir/data"
chmod 755 "$dir"

# valid from two days ago, as a real server's certificate is: a client whose clock steps back (a Pi without RTC,
# tst_DaemonFaults under libfaketime) must not see it as "not yet valid"
not_before=$(date -u -d '-2 days' +%Y%m%d%H%M%SZ)
make_ca() { # name
  openssl req -x509 -newkey rsa:2048 -nodes -not_before "$not_before" -days 30 -subj "/CN=garage-guard test CA $1" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$dir/$1.key" -out "$dir/$1.pem" 2>/dev/null
}
if [ ! -f "$dir/ca.pem" ]; then
  make_ca ca
  make_ca wrong-ca
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$domain" -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:%s,DNS:upload.%s,DNS:localhost,IP:127.0.0.1\n' \
    "$domain" "$domain" > "$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -not_before "$not_before" -days 30 \
    -extfile "$dir/server.ext" -out "$dir/server.crt" 2>/dev/null
fi

if [ "$tls" = 1 ]; then
  security="c2s_require_encryption = true
ssl = { certificate = \"$dir/server.crt\"; key = \"$dir/server.key\"; }
https_ssl = { certificate = \"$dir/server.crt\"; key = \"$dir/server.key\"; }"
  disabled='"s2s"'
else
  security="c2s_require_encryption = false
allow_unencrypted_plain_auth = true"
  disabled='"s2s", "tls"'
fi
smacks_module='"smacks", '
[ "$smacks" = 1 ] || smacks_module=''
plugin_paths=
if [ "$slots_unanswered" = 1 ]; then plugin_paths="plugin_paths = { \"$dir/plugins\" }"; fi
cat > "$dir/prosody.cfg.lua" <<CFG
$plugin_paths
pidfile = "$dir/data/prosody.pid"
certificates = "$dir/data"
data_path = "$dir/data"
log = { { levels = { min = "info" }, to = "file", filename = "$dir/prosody.log" } }
daemonize = false
interfaces = { "127.0.0.1" }
c2s_ports = { $c2s }
s2s_ports = { }
http_ports = { }
https_ports = { $https }
https_interfaces = { "127.0.0.1" }
modules_enabled = { "roster", "saslauth", "tls", "disco", "ping", "carbons", $smacks_module"offline", "posix" }
modules_disabled = { $disabled }
authentication = "internal_hashed"
allow_registration = false
storage = "internal"
limits = { c2s = { rate = "1000kb/s" } }
$security

VirtualHost "$domain"
CFG
if [ "$upload" = 1 ]; then
  cat >> "$dir/prosody.cfg.lua" <<CFG

Component "upload.$domain" "http_file_share"
  http_host = "localhost"
  http_external_url = "https://localhost:${upload_url_port:-$https}/"
  http_file_share_size_limit = 10 * 1024 * 1024
  http_file_share_expires_after = 3600
CFG
  if [ "$slots_unanswered" = 1 ]; then
    mkdir -p "$dir/plugins"
    cat > "$dir/plugins/mod_unanswered_slots.lua" <<'LUA'
-- Reads XEP-0363 slot requests before mod_http_file_share does and never answers them: a hung upload service.
module:hook("iq-get/host/urn:xmpp:http:upload:0:request", function(event)
  module:log("info", "slot request from %s left unanswered", tostring(event.stanza.attr.from));
  return true;
end, 1000);
LUA
    chmod 755 "$dir/plugins"; chmod 644 "$dir/plugins/mod_unanswered_slots.lua"
    echo '  modules_enabled = { "unanswered_slots" }' >> "$dir/prosody.cfg.lua"
  fi
fi
chown -R prosody "$dir/data"
chmod 644 "$dir"/*.pem "$dir"/server.crt "$dir/prosody.cfg.lua"
chmod 640 "$dir/server.key"; chgrp prosody "$dir/server.key" 2>/dev/null || chmod 644 "$dir/server.key"
touch "$dir/prosody.log" "$dir/stdout.log" && chown prosody "$dir/prosody.log" "$dir/stdout.log"
for a in "${accounts[@]}"; do
  runuser -u prosody -- prosodyctl --config "$dir/prosody.cfg.lua" register "${a%%:*}" "$domain" "${a#*:}" \
    >"$dir/register.log" 2>&1 || { echo "prosody-up: cannot register ${a%%:*}" >&2; cat "$dir/register.log" >&2; exit 1; }
done
runuser -u prosody -- prosody --config "$dir/prosody.cfg.lua" >>"$dir/stdout.log" 2>&1 &
echo $! > "$dir/runner.pid"
for _ in $(seq 1 100); do
  if (exec 3<>/dev/tcp/127.0.0.1/"$c2s") 2>/dev/null; then echo ready; exit 0; fi
  sleep 0.1
done
echo "prosody-up: Prosody did not open port $c2s; log:" >&2
tail -n 20 "$dir/prosody.log" "$dir/stdout.log" >&2
exit 1
