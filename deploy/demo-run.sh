#!/usr/bin/env bash
# The demo itself (run by deploy/demo.sh inside the environment, in a private network namespace): a local Prosody
# with the appliance's and the owner's accounts and HTTP upload, OpenCV's vtest.avi (people walking) as the camera,
# a fake 1-Wire probe at 4.5 °C, garage-guard, and a scripted phone (slixmpp) that waits for the motion alert and its
# picture, then sends "status" and "snapshot" and downloads the pictures. Stops everything and exits 0 on success.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${GARAGE_BIN:-$top/build/dev/bin}
clip=${DEMO_CLIP:-/usr/share/doc/opencv-doc/examples/data/vtest.avi}
work=${DEMO_DIR:-$top/build/demo}   # kept after the run: the pictures, the logs, the config
rm -rf "$work" && mkdir -p "$work" && chmod 755 "$work"
guard_pid=
cleanup() {
  [ -n "$guard_pid" ] && kill "$guard_pid" 2>/dev/null && wait "$guard_pid" 2>/dev/null
  "$top/tests/support/prosody/prosody-down.sh" "$work/prosody" >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "demo: starting Prosody on 127.0.0.1:5222 (domain garage.test, HTTP upload on :5281)"
"$top/tests/support/prosody/prosody-up.sh" "$work/prosody" --account home:demo-appliance-pw --account me:demo-phone-pw >/dev/null

echo "demo: a fake DS18B20 probe at 4.5 °C in $work/w1"
mkdir -p "$work/w1/28-0000075a3b1c"
printf '48 01 4b 46 7f ff 08 10 e4 : crc=e4 YES\n48 01 4b 46 7f ff 08 10 e4 t=4500\n' > "$work/w1/28-0000075a3b1c/w1_slave"

printf 'demo-appliance-pw\n' > "$work/xmpp-password" && chmod 600 "$work/xmpp-password"
cat > "$work/garage-guard.conf" <<CONF
[xmpp]
jid = home@garage.test
password_file = $work/xmpp-password
resource = garage
host = 127.0.0.1
port = 5222
ca_file = $work/prosody/ca.pem
owners = me@garage.test
[camera]
source = $clip
loop = true
[temperature]
source = ds18b20
w1_dir = $work/w1
poll_seconds = 5
[alerts]
cooldown_seconds = 120
[storage]
dir = $work/state
CONF
echo "demo: garage-guard --check-config:"
"$bin/garage-guard" --check-config --config "$work/garage-guard.conf" | sed 's/^/  /' | grep -E "xmpp/(jid|password|owners)|camera/source|temperature/source|OK"

echo "demo: starting garage-guard on $(basename "$clip") (log: $work/garage-guard.log)"
QT_FORCE_STDERR_LOGGING=1 "$bin/garage-guard" --config "$work/garage-guard.conf" >"$work/garage-guard.log" 2>&1 &
guard_pid=$!

echo "demo: the phone (me@garage.test, slixmpp) connects and waits"
status=0
python3 "$top/tests/support/phone.py" --jid me@garage.test --password demo-phone-pw --ca "$work/prosody/ca.pem" \
  --port 5222 --to home@garage.test --expect-alert --script "status;snapshot" --download-dir "$work/phone" \
  --timeout 120 || status=$?

echo "demo: stopping garage-guard (SIGTERM)"
kill -TERM "$guard_pid"
wait "$guard_pid" && echo "demo: garage-guard exited 0" || { echo "demo: garage-guard exited $?"; status=1; }
guard_pid=
echo "demo: what garage-guard logged:"
grep -E "garage\.(app|xmpp|camera|sensors)" "$work/garage-guard.log" | grep -v -E "reopening|retry in" | head -40 | sed 's/^/  /'
echo "demo: pictures the phone downloaded:"
ls -l "$work/phone"/*.jpg 2>/dev/null | sed 's/^/  /'
[ "$status" = 0 ] && echo "demo: OK" || echo "demo: FAILED"
exit "$status"
