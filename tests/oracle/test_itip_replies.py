"""Interop: every iTIP message Tandem writes for the invitation fixtures, parsed by python
icalendar (which nobody here wrote) and checked against what RFC 5546 §3.2 requires of its
method; and every iMIP mail in the outbox, parsed by python's email package and checked
against RFC 6047 §2 (a text/calendar part whose method parameter matches the METHOD inside).

The fixtures are tests/fixtures/invitations: invitations as Google, Outlook/Exchange, Apple and
Thunderbird write them, with the decision each must get.
"""

import datetime as dt
import email
import email.policy
import json
import os
import pathlib
import subprocess

import icalendar
import pytest

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
CLI = os.environ.get("TANDEM_CLI", str(REPO / "target" / "debug" / "tandem"))
FIXTURES = REPO / "tests" / "fixtures" / "invitations"
INVITES = sorted((FIXTURES / "invites").glob("*.ics"))
NOW = "2026-11-24T14:00:00Z"
EXECUTIVE = "mailto:dana@northwind.example"
EP = "mailto:sam.rivera@northwind.example"

# RFC 5546 §3.2: per method, the VEVENT properties that must appear exactly once ("1"), at
# least once ("1+"), and the answer's PARTSTAT each decision must carry.
REQUIRED = {
    "REPLY": {"once": ["DTSTAMP", "ORGANIZER", "UID"], "attendees": "1"},
    "COUNTER": {"once": ["DTSTAMP", "DTSTART", "ORGANIZER", "UID"], "attendees": "1+"},
    "REQUEST": {"once": ["DTSTAMP", "DTSTART", "ORGANIZER", "SUMMARY", "UID"], "attendees": "1+"},
    "CANCEL": {"once": ["DTSTAMP", "ORGANIZER", "SEQUENCE", "UID"], "attendees": "1+"},
    "DECLINECOUNTER": {"once": ["DTSTAMP", "ORGANIZER", "UID"], "attendees": "1+"},
}
PARTSTAT = {"accept": "ACCEPTED", "decline": "DECLINED", "tentative": "TENTATIVE", "delegate": "DELEGATED"}


def tandem(*args, data_dir=None, check=True):
    env = dict(os.environ, TANDEM_NOW=NOW)
    if data_dir is not None:
        env["TANDEM_DATA_DIR"] = str(data_dir)
    out = subprocess.run([CLI, *args], capture_output=True, text=True, env=env, timeout=120)
    if check:
        assert out.returncode == 0, out.stderr
    return out


def check_rules(invite):
    out = tandem(
        "rules", "check", "--json",
        "--profile", str(FIXTURES / "profile.toml"),
        "--rules", str(FIXTURES / "rules.toml"),
        "--calendar", str(FIXTURES / "calendar.ics"),
        str(invite),
    )
    return json.loads(out.stdout)


def one(component, name):
    values = component.get(name)
    assert values is not None, f"{name} is missing"
    assert not isinstance(values, list), f"{name} appears {len(values)} times; RFC 5546 allows one"
    return values


def attendees(component):
    a = component.get("ATTENDEE")
    if a is None:
        return []
    return a if isinstance(a, list) else [a]


def conforms(text, invite_event, action=None, proposed=None):
    """Checks one iTIP message against RFC 5546 for its method; returns its METHOD."""
    cal = icalendar.Calendar.from_ical(text)
    method = str(cal.get("METHOD"))
    assert str(cal.get("VERSION")) == "2.0" and cal.get("PRODID"), "VERSION:2.0 and PRODID are required"
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 1, f"{method} carries one VEVENT here, found {len(events)}"
    e = events[0]
    rules = REQUIRED[method]
    for name in rules["once"]:
        one(e, name)
    people = attendees(e)
    if rules["attendees"] == "1":
        assert len(people) == 1, f"a {method} names only the attendee who replies ({len(people)} found)"
    else:
        assert len(people) >= 1, f"a {method} needs at least one ATTENDEE"
    assert str(e["UID"]) == str(invite_event["UID"]), "the UID is the invitation's"
    assert int(e.get("SEQUENCE", 0)) == int(invite_event.get("SEQUENCE", 0)), "the SEQUENCE is the invitation's"
    assert isinstance(e["DTSTAMP"].dt, dt.datetime) and e["DTSTAMP"].dt.utcoffset() == dt.timedelta(0), "DTSTAMP is UTC"
    assert str(e["ORGANIZER"]).lower() == str(invite_event["ORGANIZER"]).lower(), "the ORGANIZER is the invitation's"
    me = [a for a in people if str(a).lower() == EXECUTIVE]
    if method == "REPLY":
        assert me, "the replying attendee is the executive"
        assert me[0].params.get("PARTSTAT") == PARTSTAT[action]
        assert me[0].params.get("SENT-BY", "").lower() == EP, "the EP answers on the executive's behalf"
        if action == "delegate":
            assert me[0].params.get("DELEGATED-TO", "").lower() == "mailto:lee@northwind.example"
    if method == "COUNTER":
        start = e["DTSTART"].dt
        assert start == dt.datetime.fromisoformat(proposed), f"the COUNTER proposes {proposed}, says {start}"
        assert e.get("DTEND") is not None or e.get("DURATION") is not None
    if method == "REQUEST":
        delegate = [a for a in people if str(a).lower() == "mailto:lee@northwind.example"]
        assert delegate and delegate[0].params.get("DELEGATED-FROM", "").lower() == EXECUTIVE
    return method


def invite_event(path):
    return next(iter(icalendar.Calendar.from_ical(path.read_text()).walk("VEVENT")))


@pytest.mark.parametrize("invite", INVITES, ids=[p.stem for p in INVITES])
def test_every_reply_for_an_invitation_fixture_conforms_to_rfc_5546(invite):
    decision = check_rules(invite)
    expected = json.loads(invite.with_suffix(".expected.json").read_text())
    assert decision["action"] == expected["action"]
    methods = [conforms(r, invite_event(invite), decision["action"], decision["proposed_start"]) for r in decision["replies"]]
    want = {
        "accept": ["REPLY"], "decline": ["REPLY"], "tentative": ["REPLY"],
        "delegate": ["REPLY", "REQUEST"], "counter_propose": ["COUNTER"], "hold_for_review": [],
    }[decision["action"]]
    assert methods == want
    if decision["replies"]:
        assert decision["reply"] == decision["replies"][0]


def test_every_imip_mail_in_the_outbox_is_multipart_with_a_matching_calendar_part(tmp_path):
    data = tmp_path / "data"
    tandem("profile", "set", str(FIXTURES / "profile.toml"), data_dir=data)
    tandem("rules", "set", str(FIXTURES / "rules.toml"), data_dir=data)
    out = tandem("import", str(FIXTURES / "calendar.ics"), *map(str, INVITES), data_dir=data)
    items = json.loads(tandem("outbox", "--json", data_dir=data).stdout)
    assert len(items) >= 7, out.stdout
    by_uid = {str(invite_event(p)["UID"]): invite_event(p) for p in INVITES}
    methods = set()
    for item in items:
        raw = tandem("outbox", "show", str(item["id"]), data_dir=data).stdout
        msg = email.message_from_string(raw, policy=email.policy.default)
        assert msg.get_content_type() == "multipart/alternative"
        assert msg["From"].addresses[0].addr_spec == "dana@northwind.example"
        assert msg["Sender"].addresses[0].addr_spec == "sam.rivera@northwind.example"
        assert msg["Message-ID"] and msg["Date"]
        parts = {p.get_content_type(): p for p in msg.iter_parts()}
        assert set(parts) == {"text/plain", "text/calendar"}
        calendar = parts["text/calendar"]
        text = calendar.get_content()
        inner = icalendar.Calendar.from_ical(text)
        assert calendar.get_param("method") == str(inner["METHOD"]), "RFC 6047 §2.4: the MIME method is the METHOD"
        uid = str(next(iter(inner.walk("VEVENT")))["UID"])
        action = {"Accepted": "accept", "Declined": "decline", "Tentative": "tentative", "Delegated": "delegate"}.get(
            msg["Subject"].split(":")[0]
        )
        proposed = next(iter(inner.walk("VEVENT")))["DTSTART"].dt.isoformat() if inner["METHOD"] == "COUNTER" else None
        methods.add(conforms(text, by_uid[uid], action, proposed))
        assert [a.addr_spec for a in msg["To"].addresses] == item["recipients"]
    assert methods == {"REPLY", "COUNTER", "REQUEST"}


def organisers_message(text, uid):
    """Checks a message the executive sends as organiser; returns (METHOD, VEVENT)."""
    cal = icalendar.Calendar.from_ical(text)
    method = str(cal.get("METHOD"))
    e = next(iter(cal.walk("VEVENT")))
    for name in REQUIRED[method]["once"]:
        one(e, name)
    assert attendees(e), f"a {method} names its attendees"
    assert str(e["UID"]) == uid
    organizer = e["ORGANIZER"]
    assert str(organizer).lower() == EXECUTIVE, "the executive organises"
    assert organizer.params.get("SENT-BY", "").lower() == EP, "the EP sends on the executive's behalf"
    return method, e


def test_the_organisers_requests_updates_cancels_and_declined_counters_conform(tmp_path):
    data = tmp_path / "data"
    tandem("profile", "set", str(FIXTURES / "profile.toml"), data_dir=data)
    made = json.loads(tandem(
        "event", "new", "--json", "--title", "Budget review", "--start", "2026-12-02T15:00", "--minutes", "30",
        "--attendee", "lee@northwind.example", "--attendee", "chair@board.example", "--location", "Boardroom",
        data_dir=data,
    ).stdout)
    uid = made["uid"]
    # Sent before the edits, so each edit is its own update.
    store = data / "tandem.sqlite3"
    import sqlite3
    def send_all():
        with sqlite3.connect(store) as db:
            db.execute("UPDATE outbox SET state = 'sent', sent_at = '2026-11-24T14:02:00+00:00' WHERE state = 'queued'")
    send_all()
    tandem("event", "edit", uid, "--start", "2026-12-02T16:00", "--end", "2026-12-02T16:45", data_dir=data)
    send_all()
    tandem("event", "edit", uid, "--attendee", "lee@northwind.example", data_dir=data)
    send_all()
    counter = tmp_path / "counter.eml"
    counter.write_text(
        "From: Lee Park <lee@northwind.example>\r\nTo: dana@northwind.example\r\nSubject: New time proposed\r\n"
        "Message-ID: <counter-1@northwind.example>\r\nDate: Tue, 24 Nov 2026 09:30:00 -0500\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/calendar; charset=utf-8; method=COUNTER\r\n\r\n"
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Apple Inc.//macOS 15.1//EN\r\nMETHOD:COUNTER\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:20261124T143000Z\r\nSEQUENCE:2\r\n"
        "DTSTART;TZID=America/New_York:20261203T100000\r\nDTEND;TZID=America/New_York:20261203T104500\r\n"
        "SUMMARY:Budget review\r\nORGANIZER:mailto:dana@northwind.example\r\n"
        "ATTENDEE;CN=Lee Park;PARTSTAT=TENTATIVE:mailto:lee@northwind.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    tandem("import", str(counter), data_dir=data)
    held = json.loads(tandem("invitations", "--json", data_dir=data).stdout)["held"]
    assert [h["summary"] for h in held] == ["Budget review"]
    tandem("invitations", "answer", str(held[0]["id"]), "decline", "--message", "Thursday is full", data_dir=data)
    tandem("event", "cancel", uid, "--message", "Postponed", data_dir=data)

    seen = []
    for item in reversed(json.loads(tandem("outbox", "--json", data_dir=data).stdout)):
        raw = tandem("outbox", "show", str(item["id"]), data_dir=data).stdout
        msg = email.message_from_string(raw, policy=email.policy.default)
        text = next(p for p in msg.walk() if p.get_content_type() == "text/calendar").get_content()
        method, e = organisers_message(text, uid)
        seen.append((method, int(e["SEQUENCE"]), sorted(str(a).lower() for a in attendees(e))))
        if method == "CANCEL":
            assert str(e.get("STATUS")) == "CANCELLED"
        if method == "DECLINECOUNTER":
            assert str(e["COMMENT"]) == "Thursday is full"
    lee, chair = "mailto:lee@northwind.example", "mailto:chair@board.example"
    assert seen == [
        ("REQUEST", 0, [chair, lee]),
        ("REQUEST", 1, [chair, lee]),
        ("REQUEST", 2, [lee]),
        ("CANCEL", 2, [chair]),
        ("DECLINECOUNTER", 2, [lee]),
        ("CANCEL", 3, [lee]),
    ], seen
