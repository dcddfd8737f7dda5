"""Differential test of recurrence rules: `tandem expand` against python-dateutil's rrulestr on
the same DTSTART + RRULE, instance by instance.

Two sets of rules: a list written here (always run, must agree exactly) and the RFC 5545
§3.8.5.3 examples from ../shared/corpora/rrule-vectors (skipped, saying so, when absent), which
are also checked against the RFC's own expected lists. dateutil leaves out a DTSTART the rule
does not match while RFC 5545 counts it, so every rule here starts on one of its instances.
"""

import datetime as dt
import json
import os
import pathlib
import subprocess
import tempfile

import pytest
from dateutil.rrule import rrulestr

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
CLI = os.environ.get("TANDEM_CLI", str(REPO / "target" / "debug" / "tandem"))
RFC = REPO.parent / "shared" / "corpora" / "rrule-vectors" / "rfc5545_3853_examples_rust_rrule.json"
MAX_INSTANCES = 60

# (DTSTART line, RRULE) — zones with DST changes inside the ranges, edge BYxxx parts.
RULES = [
    ("DTSTART;TZID=America/New_York:20260105T090000", "FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=40"),
    ("DTSTART;TZID=America/New_York:20260301T013000", "FREQ=DAILY;COUNT=20"),
    ("DTSTART;TZID=Europe/Berlin:20260325T023000", "FREQ=DAILY;COUNT=10"),
    ("DTSTART;TZID=Europe/Berlin:20261020T023000", "FREQ=DAILY;COUNT=10"),
    ("DTSTART;TZID=Europe/London:20260130T100000", "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=14"),
    ("DTSTART;TZID=Europe/London:20260131T100000", "FREQ=MONTHLY;COUNT=12"),
    ("DTSTART;TZID=Asia/Tokyo:20260105T080000", "FREQ=MONTHLY;BYDAY=1MO,-1FR;COUNT=20"),
    ("DTSTART;TZID=America/Los_Angeles:20260102T170000", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=12"),
    ("DTSTART;TZID=Australia/Sydney:20260101T093000", "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO;COUNT=5"),
    ("DTSTART;TZID=Australia/Sydney:20260101T093000", "FREQ=YEARLY;BYYEARDAY=1,100,200,-1;COUNT=12"),
    ("DTSTART;TZID=America/New_York:20260106T100000", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=SU;COUNT=20"),
    ("DTSTART;TZID=America/New_York:20260106T100000", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;UNTIL=20260601T000000Z"),
    ("DTSTART:20260101T120000Z", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;COUNT=3"),
    ("DTSTART:20260101T120000Z", "FREQ=MINUTELY;INTERVAL=90;COUNT=30"),
    ("DTSTART:20260105T083000", "FREQ=WEEKLY;BYDAY=MO;COUNT=10"),
    ("DTSTART:20260101T000000", "FREQ=YEARLY;BYMONTH=1,7;BYDAY=SU;BYSETPOS=1;COUNT=8"),
]


def rfc_reading(value):
    """dateutil returns a wall time that does not exist (02:30 on a spring-forward night) with the
    offset after the gap, i.e. 01:30 in the old offset. RFC 5545 §3.3.5 reads such a time with
    the offset from *before* the gap, so it lands after the gap (03:30): Tandem follows the RFC,
    and this is the one place the test corrects dateutil rather than trusting it."""
    if not (isinstance(value, dt.datetime) and value.tzinfo is not None):
        return value
    naive = value.replace(tzinfo=None)
    round_trip = value.astimezone(dt.timezone.utc).astimezone(value.tzinfo).replace(tzinfo=None)
    if round_trip == naive:
        return value
    before = (value - dt.timedelta(days=1)).utcoffset()
    return (naive - before).replace(tzinfo=dt.timezone.utc)


def utc_or_floating(value):
    value = rfc_reading(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.strftime("%Y-%m-%dT%H:%M:%S")


def from_contract(text):
    if len(text) == 19:
        return text  # floating
    return utc_or_floating(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))


def dateutil_instances(dtstart, rule):
    rs = rrulestr(f"{dtstart}\nRRULE:{rule}", forceset=True)
    out = []
    for i, d in enumerate(rs):
        if i >= MAX_INSTANCES:
            break
        out.append(d)
    return out


def tandem_instances(dtstart, rule, first, last):
    """Runs `tandem expand` over [first, last + 1 s) with a one-minute event on the rule."""
    floating = first.tzinfo is None
    lo = (first if floating else first.astimezone(dt.timezone.utc)).replace(tzinfo=dt.timezone.utc)
    hi = (last if floating else last.astimezone(dt.timezone.utc)).replace(tzinfo=dt.timezone.utc) + dt.timedelta(seconds=1)
    text = "\r\n".join(
        ["BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", "UID:oracle@test", "SUMMARY:r", dtstart, f"RRULE:{rule}", "DURATION:PT0S", "END:VEVENT", "END:VCALENDAR", ""]
    )
    with tempfile.NamedTemporaryFile("w", suffix=".ics", delete=False) as f:
        f.write(text)
    try:
        run = subprocess.run(
            [CLI, "expand", "--from", lo.isoformat(), "--to", hi.isoformat(), "--tz", "UTC", f.name],
            capture_output=True, text=True, timeout=60,
        )
    finally:
        os.unlink(f.name)
    assert run.returncode == 0, run.stderr
    return [from_contract(json.loads(line)["start"]) for line in run.stdout.splitlines()]


@pytest.mark.parametrize("dtstart,rule", RULES, ids=[r for _, r in RULES])
def test_tandem_expands_each_rule_as_dateutil_does(dtstart, rule):
    expected = dateutil_instances(dtstart, rule)
    assert expected, "the rule yields nothing"
    got = tandem_instances(dtstart, rule, expected[0], expected[-1])
    assert got == [utc_or_floating(d) for d in expected]


def test_tandem_expands_the_rfc_5545_examples_as_dateutil_and_the_rfc_do():
    if not RFC.is_file():
        pytest.skip(f"{RFC} is not here (the shared corpora are optional)")
    cases = json.loads(RFC.read_text())["cases"]
    agree, disagree = 0, []
    for case in cases:
        lines = case["ical"]
        dtstart = next(l for l in lines if l.startswith("DTSTART"))
        rules = [l[len("RRULE:"):] for l in lines if l.startswith("RRULE:")]
        if len(rules) != 1 or len(lines) != 2:
            continue  # EXDATE/RDATE sets are compared by the calendar oracle instead
        expected = [utc_or_floating(dt.datetime.fromisoformat(e)) for e in case["expected"]]
        got = tandem_instances(dtstart, rules[0], dt.datetime.fromisoformat(case["expected"][0]), dt.datetime.fromisoformat(case["expected"][-1]))
        if got == expected:
            agree += 1
        else:
            disagree.append(case["name"])
    print(f"RFC 5545 3.8.5.3 examples: {agree}/{agree + len(disagree)} agree; differ: {disagree}")
    assert not disagree
