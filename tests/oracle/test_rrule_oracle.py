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


def zoneinfo_for(name):
    """dateutil's own tz files stop at their last listed transition (2037), so zones come from
    the standard library's zoneinfo, which follows the rule for later years too."""
    from zoneinfo import ZoneInfo

    return ZoneInfo(name) if name else None


def dateutil_instances(dtstart, rule):
    rs = rrulestr(f"{dtstart}\nRRULE:{rule}", forceset=True, tzids=zoneinfo_for)
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


# --- Many rules at once -----------------------------------------------------------------------
# One file with one event per rule, one `tandem expand` over a wide window, instances grouped by
# UID: hundreds of rules cost one process.

VECTORS = REPO.parent / "shared" / "corpora" / "rrule-vectors"


def tandem_batch(events, lo="1900-01-01", hi="2200-01-01"):
    """events: {uid: [property lines]}. Returns ({uid: [instance starts, normalised]}, stderr)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0"]
    for uid, props in events.items():
        lines += ["BEGIN:VEVENT", f"UID:{uid}", "SUMMARY:r", "DURATION:PT0S", *props, "END:VEVENT"]
    lines += ["END:VCALENDAR", ""]
    with tempfile.NamedTemporaryFile("w", suffix=".ics", delete=False) as f:
        f.write("\r\n".join(lines))
    try:
        run = subprocess.run([CLI, "expand", "--from", lo, "--to", hi, "--tz", "UTC", f.name],
                             capture_output=True, text=True, timeout=600)
    finally:
        os.unlink(f.name)
    assert run.returncode in (0, 2), run.stderr
    out = {}
    for line in run.stdout.splitlines():
        o = json.loads(line)
        out.setdefault(o["uid"], []).append(from_contract(o["start"]))
    return out, run.stderr


def parse_expected(text):
    value = dt.datetime.fromisoformat(text)
    return utc_or_floating(value)


def compare(name, expected, got, dtstart):
    """dateutil leaves out a DTSTART the rule does not produce; RFC 5545 (and Tandem) count it."""
    if dtstart is not None and dtstart not in expected and got[:1] == [dtstart]:
        got = got[1:]
    return got == expected


def test_tandem_expands_dateutils_own_test_rules_as_their_authors_expect():
    path = VECTORS / "dateutil_rrule_cases.json"
    if not path.is_file():
        pytest.skip(f"{path} is not here (the shared corpora are optional)")
    cases = {}
    for i, case in enumerate(json.loads(path.read_text())["cases"]):
        rules = case["rules"]
        # Whole iterations of one rule ("list(rrule(...))", "list(rule)"), not xafter/replace views of it.
        whole = case["python_expr"].startswith(("list(rrule(", "list(rrulestr(", "list(rule)", "list(rr)"))
        views = ("testXAfter", "testReplace")  # iterate rule.xafter(...) / rule.replace(...), recorded as list(rule)
        if not whole or case["test"].split(".")[-1].startswith(views) or len(rules) != 1 or rules[0].get("byeaster"):
            continue
        if not isinstance(case["expected"], list) or not case["expected"]:
            continue
        if any("X-TZ-REPR" in l for l in rules[0]["ical"]):
            continue  # a tzinfo object with no IANA name: nothing a calendar file can say
        if not any(l.startswith("DTSTART") for l in rules[0]["ical"]):
            continue  # no DTSTART: dateutil starts at "now"
        cases[f"case-{i}@dateutil"] = case
    events = {uid: [l for l in c["rules"][0]["ical"]] for uid, c in cases.items()}
    got, stderr = tandem_batch(events)
    agree, refused, known, differ = 0, [], [], []
    for uid, case in cases.items():
        expected = [parse_expected(e) for e in case["expected"]]
        dtstart_line = next(l for l in case["rules"][0]["ical"] if l.startswith("DTSTART"))
        dtstart = from_ical_start(dtstart_line)
        mine = got.get(uid, [])
        if compare(uid, expected, mine, dtstart):
            agree += 1
        elif not mine and uid in stderr:
            # dateutil accepts parts RFC 5545 forbids for the frequency (BYWEEKNO outside YEARLY,
            # BYYEARDAY with DAILY/WEEKLY/MONTHLY); the rrule crate refuses them, and Tandem
            # reports the series as not expandable, naming it, rather than guess.
            refused.append(case["test"])
        elif case["test"].split(".")[-1] in DATEUTIL_KNOWN:
            known.append(case["test"])
        else:
            differ.append(f"{case['test']}: {case['rules'][0]['ical']} expected {expected[:3]} got {mine[:3]}")
    print(f"dateutil's own rrule tests: {agree}/{len(cases)} agree, {len(refused)} refused as RFC 5545 forbids them, "
          f"{len(known)} read differently on purpose, {len(differ)} differ")
    for d in differ:
        print("  DIFF", d)
    assert not differ


# dateutil tests Tandem reads differently, and why.
DATEUTIL_KNOWN = {
    "testYearlyByWeekNo": "BYWEEKNO without BYDAY: dateutil yields every day of week 20; RFC 5545 derives the "
                          "missing weekday from DTSTART (a Tuesday), as libical and ical.net do.",
    "testToStrYearlyByWeekNo": "The same rule as testYearlyByWeekNo.",
    "testStrSetExRule": "EXRULE was removed from iCalendar by RFC 5545; Tandem keeps the line and reports it, "
                        "without applying it.",
}


def from_ical_start(line):
    """The normalised instant of a DTSTART line (as tandem_instances prints it)."""
    params, value = line.split(":", 1)
    tzid = next((p.split("=", 1)[1] for p in params.split(";")[1:] if p.startswith("TZID=")), None)
    if len(value) == 8:
        return None
    naive = dt.datetime.strptime(value.rstrip("Z"), "%Y%m%dT%H%M%S")
    if value.endswith("Z"):
        return utc_or_floating(naive.replace(tzinfo=dt.timezone.utc))
    if tzid:
        from zoneinfo import ZoneInfo
        return utc_or_floating(naive.replace(tzinfo=ZoneInfo(tzid)))
    return utc_or_floating(naive)


def test_tandem_agrees_with_libical_and_icalnet_on_their_recurrence_cases():
    path = VECTORS / "libical_icalnet_recur_cases.json"
    if not path.is_file():
        pytest.skip(f"{path} is not here (the shared corpora are optional)")
    cases = {}
    for i, case in enumerate(json.loads(path.read_text())["cases"]):
        if case.get("exception") or case.get("start_at") or "RSCALE" in case["rrule"] or not case.get("instances"):
            continue
        if any("UNIMPLEMENTED" in e for e in case["instances"]):
            continue  # libical marks rules it cannot expand itself  # iterator start points and RFC 7529 calendars are those libraries' own APIs
        value = "VALUE=DATE:" if len(case["dtstart"]) == 8 else ":"
        cases[f"case-{i}@libical"] = (case, [f"DTSTART;{value}{case['dtstart']}".replace(";:", ":"), f"RRULE:{case['rrule']}"])
    got, _ = tandem_batch({uid: props for uid, (_, props) in cases.items()})

    def norm(values, like):
        return [v if len(v) == 8 else utc_or_floating(
            dt.datetime.strptime(v.rstrip("Z"), "%Y%m%dT%H%M%S").replace(tzinfo=dt.timezone.utc if v.endswith("Z") else None))
            for v in values] if like else []

    agree, with_dateutil, differ = 0, 0, []
    for uid, (case, props) in cases.items():
        n = len(case["instances"])
        expected = norm(case["instances"], True)
        start = norm([case["dtstart"]], True)[0]
        mine = [g.replace("-", "")[:8] if len(case["dtstart"]) == 8 else g for g in got.get(uid, [])]
        # As with dateutil: a DTSTART the rule does not produce is counted by RFC 5545 and
        # Tandem, and left out by libical and ical.net.
        if mine[:1] == [start] and start not in expected:
            mine = mine[1:]
        if mine[:n] == expected:
            agree += 1
        elif case.get("dateutil_first") and mine[:n] == norm(case["dateutil_first"], True)[:n]:
            with_dateutil += 1  # the references disagree; Tandem reads the rule as dateutil does
        else:
            differ.append(f"{case['source']} '{case.get('comment', '')}': {case['rrule']} from {case['dtstart']}: "
                          f"expected {expected[:4]} got {mine[:4]}")
    total = agree + with_dateutil + len(differ)
    rate = (agree + with_dateutil) / total
    print(f"libical/ical.net recurrence cases: {agree}/{total} agree, {with_dateutil} more as python-dateutil reads "
          f"them where the references disagree ({rate:.1%}); {len(differ)} differ")
    for d in differ:
        print("  DIFF", d)
    assert rate >= LIBICAL_FLOOR, f"{rate:.1%} fell below {LIBICAL_FLOOR:.0%}"


# 200/207 (96.6%) when written. The 7 left: WEEKLY+BYSETPOS from a mid-week DTSTART (the rrule
# crate counts positions from DTSTART, not from the week start), INTERVAL counted from the ISO
# week-year rather than the calendar year (2), year 9999 (2; the rrule crate stops earlier),
# BYWEEKNO with an ordinal BYDAY (RFC 5545 forbids it; the crate refuses the rule) and
# BYDAY=MO,2TU in one MONTHLY rule (the crate refuses mixing). A ratchet: raise it as fixes land.
LIBICAL_FLOOR = float(os.environ.get("TANDEM_LIBICAL_FLOOR", "0.96"))


def generated_rules(n, seed=20261128):
    """`n` random RFC 5545 rules, each valid for its FREQ, with DTSTART in zones that change
    offset (and floating and UTC ones). Seeded, so a failure names a rule that stays failing.
    Left out: readings where the references themselves disagree (BYWEEKNO without BYDAY; WEEKLY
    with BYSETPOS from mid-week, a known rrule-crate difference listed in the issue note)."""
    import random

    rnd = random.Random(seed)
    zones = ["America/New_York", "Europe/London", "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata", "America/Sao_Paulo", None, "UTC"]
    days = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    out = []
    while len(out) < n:
        freq = rnd.choice(["YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY"])
        parts = [f"FREQ={freq}"]
        if rnd.random() < 0.4:
            parts.append(f"INTERVAL={rnd.randint(2, 4)}")
        if freq in ("YEARLY", "MONTHLY", "DAILY") and rnd.random() < 0.3:
            parts.append("BYMONTH=" + ",".join(str(m) for m in sorted(rnd.sample(range(1, 13), rnd.randint(1, 4)))))
        if freq in ("YEARLY", "MONTHLY", "DAILY") and rnd.random() < 0.3:
            parts.append("BYMONTHDAY=" + ",".join(str(rnd.choice([1, 2, 5, 10, 15, 20, 28, -1, -2, -7])) for _ in range(rnd.randint(1, 3))))
        if rnd.random() < 0.5:
            chosen = rnd.sample(days, rnd.randint(1, 3))
            if freq in ("YEARLY", "MONTHLY") and "BYWEEKNO" not in ";".join(parts) and rnd.random() < 0.4:
                chosen = [f"{rnd.choice([1, 2, -1])}{d}" for d in chosen]
            parts.append("BYDAY=" + ",".join(chosen))
        if freq == "YEARLY" and rnd.random() < 0.15:
            parts.append(f"BYWEEKNO={rnd.choice([1, 10, 20, 52, -1])}")
            if "BYDAY" not in ";".join(parts):
                parts.append("BYDAY=" + rnd.choice(days))
            parts = [p for p in parts if not (p.startswith("BYDAY=") and p[6].isdigit() or p.startswith("BYDAY=-"))] or parts
            if not any(p.startswith("BYDAY=") for p in parts):
                parts.append("BYDAY=" + rnd.choice(days))
        if freq == "YEARLY" and rnd.random() < 0.1 and not any(p.startswith(("BYWEEKNO", "BYMONTH=")) for p in parts):
            parts.append("BYYEARDAY=" + ",".join(str(rnd.choice([1, 32, 100, 200, 365, -1, -10])) for _ in range(2)))
        if freq in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY") and rnd.random() < 0.2:
            parts.append("BYHOUR=" + ",".join(str(h) for h in sorted(rnd.sample([1, 2, 3, 8, 9, 17, 23], 2))))
        if freq in ("MONTHLY", "YEARLY") and any(p.startswith("BYDAY=") for p in parts) and rnd.random() < 0.3:
            parts.append(f"BYSETPOS={rnd.choice([1, 2, -1])}")
        if rnd.random() < 0.2:
            parts.append("WKST=" + rnd.choice(["MO", "SU", "WE"]))
        parts.append(f"COUNT={rnd.randint(3, 25)}")
        zone = rnd.choice(zones)
        start = dt.datetime(rnd.randint(2021, 2029), rnd.randint(1, 12), rnd.randint(1, 28), rnd.randint(0, 23), rnd.choice([0, 15, 30, 45]))
        stamp = start.strftime("%Y%m%dT%H%M%S")
        line = f"DTSTART;TZID={zone}:{stamp}" if zone and zone != "UTC" else (f"DTSTART:{stamp}Z" if zone == "UTC" else f"DTSTART:{stamp}")
        out.append((line, ";".join(parts)))
    return out


def test_tandem_agrees_with_dateutil_on_three_hundred_generated_rules():
    rules = generated_rules(300)
    events = {f"gen-{i}@oracle": [dtstart, f"RRULE:{rule}"] for i, (dtstart, rule) in enumerate(rules)}
    got, stderr = tandem_batch(events, lo="2019-01-01", hi="2200-01-01")
    agree, differ = 0, []
    for i, (dtstart, rule) in enumerate(rules):
        uid = f"gen-{i}@oracle"
        expected = [utc_or_floating(d) for d in dateutil_instances(dtstart, rule)]
        if compare(uid, expected, got.get(uid, []), from_ical_start(dtstart)):
            agree += 1
        else:
            differ.append(f"{dtstart} RRULE:{rule}: dateutil {expected[:4]} tandem {got.get(uid, [])[:4]}")
    print(f"generated rules: {agree}/{len(rules)} agree with python-dateutil")
    for d in differ:
        print("  DIFF", d)
    assert not differ
