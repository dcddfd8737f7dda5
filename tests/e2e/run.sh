#!/usr/bin/env bash
# Runs the end-to-end tests against the real built app: Xvfb for a display, a private D-Bus
# session (or WebKit leaves its helpers behind), tauri-driver + WebKitWebDriver for WebDriver.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: "${TANDEM_APP:?set TANDEM_APP to the built tandem-desktop binary}"
export TANDEM_APP
display=":$((90 + RANDOM % 9))"
Xvfb "$display" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; pkill -f "tauri-driver --port 4444" 2>/dev/null || true; pkill -f "^$TANDEM_APP" 2>/dev/null || true' EXIT
sleep 1
# A hung WebDriver call fails the run after 5 minutes instead of holding CI.
DISPLAY="$display" timeout 600 dbus-run-session -- node --test --test-concurrency=1 --test-timeout=300000 "$here"/*.test.mjs
