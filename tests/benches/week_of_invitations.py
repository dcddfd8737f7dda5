"""Times the invitation pipeline by hand (not in CI): the demo store, then 100 generated
invitations imported and decided by the demo rules, a 90-day dry run, and one answer by hand.

    cargo build --release -p tandem-cli
    python3 tests/benches/week_of_invitations.py [path/to/tandem]

Prints each step's wall time (whole CLI processes, so process start and store open included)
and checks the answers it times: every invitation decided, none left pending.
"""

import json
import os
import pathlib
import random
import subprocess
import sys
import tempfile
import time

CLI = sys.argv[1] if len(sys.argv) > 1 else str(pathlib.Path.home() / ".cache/tandem/target/release/tandem")
NOW = "2026-11-24T14:00:00Z"


def run(*args, data):
    start = time.perf_counter()
    out = subprocess.run([CLI, *args], env=dict(os.environ, TANDEM_DATA_DIR=data, TANDEM_NOW=NOW),
                         capture_output=True, text=True, check=True)
    return time.perf_counter() - start, out.stdout


def invitations(folder, count=100):
    random.seed(7)
    organisers = ["eleanor@vanceholdings.example", "ava.thompson@contoso.example", "jordan@acmeanalytics.example",
                  "olivia.chen@northwind.example", "priya.shah@northwind.example", "x@partner.example"]
    paths = []
    for i in range(count):
        day = 30 + i % 5 + 7 * (i // 50)
        date = f"2026{11 if day <= 30 else 12:02d}{day if day <= 30 else day - 30:02d}"
        hour, minute = 8 + random.randrange(11), random.choice([0, 30])
        rule = "RRULE:FREQ=WEEKLY;COUNT=8\r\n" if i % 7 == 0 else ""
        text = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
                f"UID:bench-{i}@bench.example\r\nDTSTAMP:20261120T100000Z\r\n"
                f"DTSTART;TZID=America/New_York:{date}T{hour:02d}{minute:02d}00\r\nDURATION:PT{random.choice([30, 45, 60, 90])}M\r\n"
                f"SUMMARY:Meeting {i}\r\nORGANIZER:mailto:{random.choice(organisers)}\r\n{rule}"
                f"ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:dana@northwind.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
        path = pathlib.Path(folder) / f"invite-{i:03d}.ics"
        path.write_text(text)
        paths.append(str(path))
    return paths


with tempfile.TemporaryDirectory() as tmp:
    data = os.path.join(tmp, "data")
    run("demo", data=data)
    files = invitations(tmp)
    took, _ = run("import", *files, data=data)
    _, queue = run("invitations", "--json", data=data)
    queue = json.loads(queue)
    assert not queue["pending"], "every invitation is decided"
    assert len(queue["held"]) + len(queue["decided"]) >= len(files), queue.keys()
    print(f"import and decide {len(files)} invitations: {took * 1000:.0f} ms "
          f"({len(queue['decided'])} decided, {len(queue['held'])} held)")
    dry = min(run("rules", "dry-run", "--days", "90", data=data)[0] for _ in range(3))
    print(f"90-day dry run (best of 3): {dry * 1000:.0f} ms")
    first = queue["held"][0]["id"]
    took, _ = run("invitations", "answer", str(first), "accept", data=data)
    print(f"one answer by hand: {took * 1000:.0f} ms")
