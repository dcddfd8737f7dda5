"""CalDAV benchmark: Tandem syncs a 10,000-event calendar from Radicale on loopback, the first
time and after 10 events changed, and the python `caldav` library (the peer) reads the same
calendar in the same run: everything with one calendar-query, then the changes by sync token.

It prints both times, Tandem's HTTP requests and the ratios, and checks the answers: Tandem's
first sync must fetch every event, and the second exactly the ten that changed (an incremental
sync that fetched unchanged events would fail the run, however fast).

Run it inside tests/with-keychain.sh: `tandem account add` files the password in the keychain.

usage: calendar_sync.py --cli PATH [--events N] [--quick]
  --quick   500 events: checks the answers, as CI does.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

NOW = "2026-11-24T14:00:00Z"
USER, PASSWORD = "dana", "tandem caldav bench"


def event(i, summary):
    day = 1 + i % 28
    hour = 6 + i % 12
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tandem bench//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:bench-{i}@tandem.test\r\nDTSTAMP:20261101T000000Z\r\n"
        f"DTSTART:202612{day:02d}T{hour:02d}0000Z\r\nDURATION:PT30M\r\nSUMMARY:{summary}\r\n"
        "LOCATION:Room 4\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_radicale(root, events):
    """Radicale serving one calendar of `events` events, written into its storage directly (a
    PUT each would take minutes and measure Radicale, not the sync)."""
    cal = os.path.join(root, "collections", "collection-root", USER, "work")
    os.makedirs(cal)
    with open(os.path.join(cal, ".Radicale.props"), "w") as f:
        json.dump({"D:displayname": "Work", "tag": "VCALENDAR"}, f)
    for i in range(events):
        with open(os.path.join(cal, f"e{i}.ics"), "w", newline="") as f:
            f.write(event(i, f"Bench meeting {i}"))
    with open(os.path.join(root, "users"), "w") as f:
        f.write(f"{USER}:{PASSWORD}\n")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--server-hosts", f"127.0.0.1:{port}",
         "--storage-filesystem-folder", os.path.join(root, "collections"),
         "--auth-type", "htpasswd", "--auth-htpasswd-encryption", "plain",
         "--auth-htpasswd-filename", os.path.join(root, "users"),
         "--rights-type", "owner_only", "--logging-level", "warning"],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    # Radicale reads and caches every item the first time it is asked about the calendar; that
    # is its start-up cost, not the sync's, so it is paid before anything is timed.
    import base64
    import urllib.request
    token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    warm = urllib.request.Request(
        f"http://127.0.0.1:{port}/{USER}/work/", method="PROPFIND",
        headers={"Depth": "1", "Authorization": f"Basic {token}"},
        data=b'<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>',
    )
    urllib.request.urlopen(warm, timeout=900).read()
    return proc, f"http://127.0.0.1:{port}/", cal


def tandem(cli, data, *args, stdin=None):
    env = dict(os.environ, TANDEM_PASSWORD=PASSWORD)
    started = time.perf_counter()
    out = subprocess.run([cli, "--data-dir", data, "--now", NOW, *args], env=env, capture_output=True, text=True)
    took = time.perf_counter() - started
    if out.returncode != 0:
        sys.exit(f"tandem {' '.join(args)} failed: {out.stderr}")
    return out.stdout, took


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--events", type=int, default=10_000)
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    events = 500 if a.quick else a.events
    import caldav  # the peer; from PyPI in the venv (tests/oracle/requirements.txt)

    with tempfile.TemporaryDirectory() as root:
        proc, url, cal_dir = start_radicale(root, events)
        try:
            data = os.path.join(root, "tandem")
            tandem(a.cli, data, "demo")
            tandem(a.cli, data, "account", "add", "caldav", url, "--user", USER)
            first, t_first = tandem(a.cli, data, "--json", "sync")
            first = json.loads(first)["calendars"][0]
            if first["fetched"] != events or first["error"]:
                sys.exit(f"the first sync fetched {first['fetched']} of {events}: {first}")

            client = caldav.DAVClient(url=url, username=USER, password=PASSWORD)
            calendar = client.calendar(url=f"{url}{USER}/work/")
            started = time.perf_counter()
            everything = calendar.objects_by_sync_token(load_objects=True)
            objects = list(everything)
            p_first = time.perf_counter() - started
            if len(objects) != events:
                sys.exit(f"the peer read {len(objects)} of {events}")

            # Another client changes ten events.
            session = client
            for i in range(0, events, events // 10)[:10]:
                obj = calendar.object_by_uid(f"bench-{i}@tandem.test")
                obj.data = event(i, f"Bench meeting {i} (changed)")
                obj.save()

            second, t_second = tandem(a.cli, data, "--json", "sync")
            second = json.loads(second)["calendars"][0]
            if second["fetched"] != 10 or second["error"]:
                sys.exit(f"the incremental sync fetched {second['fetched']} events, not the 10 that changed: {second}")
            started = time.perf_counter()
            changed = list(calendar.objects_by_sync_token(sync_token=everything.sync_token, load_objects=True))
            p_second = time.perf_counter() - started
            if len(changed) != 10:
                sys.exit(f"the peer saw {len(changed)} changes")
            del session
        finally:
            proc.terminate()
            proc.wait()

    print(f"{'sync of ' + str(events) + ' events':<28} {'tandem s':>9} {'requests':>9} {'peer s':>8} {'ratio':>6}")
    print(f"{'first':<28} {t_first:>9.2f} {first['requests']:>9} {p_first:>8.2f} {t_first / p_first:>6.2f}")
    print(f"{'after 10 changes':<28} {t_second:>9.2f} {second['requests']:>9} {p_second:>8.2f} {t_second / p_second:>6.2f}")
    print("tandem: whole `tandem sync` processes (start, store writes); peer: python caldav in-process")


if __name__ == "__main__":
    main()
