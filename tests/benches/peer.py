"""The peer for the year-of-calendars benchmark: recurring-ical-events (with icalendar) parses
and expands the same files over the same window. Prints one JSON line: the best of `runs` wall
times in seconds, and the number of occurrences (which the benchmark asserts equals Tandem's).

usage: peer.py RUNS FROM TO FILE...   (FROM/TO are dates; the window is UTC midnights)
"""

import datetime as dt
import json
import sys
import time

import icalendar
import recurring_ical_events


def run(paths, start, stop):
    count = 0
    for path in paths:
        with open(path, "rb") as f:
            cal = icalendar.Calendar.from_ical(f.read())
        for event in recurring_ical_events.of(cal).between(start, stop):
            if str(event.get("STATUS", "")).upper() != "CANCELLED":
                count += 1
    return count


def main():
    runs = int(sys.argv[1])
    start, stop = (dt.datetime.fromisoformat(a).replace(tzinfo=dt.timezone.utc) for a in sys.argv[2:4])
    paths = sys.argv[4:]
    best, count = None, None
    for _ in range(runs):
        t0 = time.perf_counter()
        count = run(paths, start, stop)
        elapsed = time.perf_counter() - t0
        best = elapsed if best is None else min(best, elapsed)
    print(json.dumps({"seconds": best, "occurrences": count}))


if __name__ == "__main__":
    main()
