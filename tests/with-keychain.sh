#!/usr/bin/env bash
# Runs a command with a real Secret Service keychain: a private D-Bus session with an unlocked
# GNOME Keyring in it (headless CI has neither). Tandem keeps account passwords only there.
set -euo pipefail
# A keyring of the run's own: GNOME Keyring files it under $XDG_DATA_HOME/keyrings, and one left
# by an earlier run with another password would stay locked.
XDG_DATA_HOME="$(mktemp -d)"
export XDG_DATA_HOME
trap 'rm -rf "$XDG_DATA_HOME"' EXIT
dbus-run-session -- bash -c '
  printf "tandem-test" | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
  keyring=$!
  # Wait until the unlocked daemon owns the name (it is listed as activatable before that).
  for _ in $(seq 50); do
    busctl --user list 2>/dev/null | grep org.freedesktop.secrets | grep -qv activatable && break
    sleep 0.1
  done
  "$@"; status=$?
  kill $keyring 2>/dev/null || true
  exit $status
' bash "$@"
