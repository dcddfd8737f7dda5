#!/usr/bin/env bash
# Runs the end-to-end tests against the real built app: Xvfb for a display, a private D-Bus
# session with a keychain (or WebKit leaves its helpers behind), tauri-driver + WebKitWebDriver for WebDriver.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: "${TANDEM_APP:?set TANDEM_APP to the built tandem-desktop binary}"
export TANDEM_APP
display=":$((90 + RANDOM % 9))"
Xvfb "$display" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; pkill -f "tauri-driver --port 4444" 2>/dev/null || true; pkill -f "^$TANDEM_APP" 2>/dev/null || true' EXIT
sleep 1
# Desktop notifications go to a notification server of our own on the private session bus,
# which logs them for the tests (TANDEM_NOTIFICATIONS).
export TANDEM_PYTHON="${TANDEM_PYTHON:-python3}"
export TANDEM_NOTIFICATIONS="${TMPDIR:-/tmp}/tandem-e2e-notifications-$$.jsonl"
rm -f "$TANDEM_NOTIFICATIONS"
# A hung WebDriver call fails the run after 5 minutes instead of holding CI.
# The session also has an unlocked keychain of its own (tests/with-keychain.sh), where the app
# files the test mail accounts' passwords.
DISPLAY="$display" HERE="$here" timeout 600 "$here/../with-keychain.sh" bash -c '
  "$TANDEM_PYTHON" -u "$HERE/notification_server.py" "$TANDEM_NOTIFICATIONS" > "$TANDEM_NOTIFICATIONS.ready" &
  for _ in $(seq 50); do grep -q ready "$TANDEM_NOTIFICATIONS.ready" 2>/dev/null && break; sleep 0.1; done
  grep -q ready "$TANDEM_NOTIFICATIONS.ready" || { echo "the notification server did not start" >&2; exit 1; }
  node --test --test-concurrency=1 --test-timeout=300000 "$HERE"/*.test.mjs
' 
