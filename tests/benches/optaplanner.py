"""Converts OptaPlanner's meeting-scheduling instances (the .sheets.json exports in
../shared/corpora/meeting-scheduling-optaplanner/unsolved) into Tandem's scheduling instance.

    python3 tests/benches/optaplanner.py IN.sheets.json > OUT.json

What maps: days (start, end, a lunch hour from "Lunch hour start time"), persons, meetings
(topic, duration, required attendance -> required, preferred attendance -> optional), a
15-minute grid (OptaPlanner's time grain). Every meeting is new: it has no start, so the
solver places them all. "Don't go in overtime" and "Start and end on same day" are Tandem's
working hours (hard for a placed meeting), "Required attendance conflict" is its no-overlap
rule, and "One TimeGrain break between two consecutive meetings" is a 15-minute buffer.
What does not: rooms (Tandem plans people's time; the rooms are the organiser's), preferred
attendance clashing with another meeting (Tandem counts an optional attendee's known busy
times only), and "as soon as possible" (Tandem has no such preference).
"""
import datetime as dt
import json
import sys

UTC = dt.timezone.utc


def at(day: dt.date, hhmm: str) -> dt.datetime:
    h, m = (int(x) for x in hhmm.split(":"))
    return dt.datetime(day.year, day.month, day.day, tzinfo=UTC) + dt.timedelta(hours=h, minutes=m)


def iso(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def rows(sheet):
    header, *body = sheet
    return [dict(zip(header, r)) for r in body if any(x not in ("", None) for x in r)]


def names(cell):
    return [n.strip() for n in str(cell or "").split(",") if n.strip()]


def convert(sheets: dict) -> dict:
    days = []
    for r in rows(sheets["Days"]):
        date = dt.date.fromisoformat(r["Day"].split()[-1])
        start, end = at(date, r["Start"]), at(date, r["End"])
        day = {"date": date.isoformat(), "start": iso(at(date, "00:00")),
               "end": iso(at(date, "00:00") + dt.timedelta(days=1)), "work": {"start": iso(start), "end": iso(end)}}
        lunch = at(date, r["Lunch hour start time"])
        if start <= lunch and lunch + dt.timedelta(hours=1) <= end:
            day["lunch"] = {"start": iso(lunch), "end": iso(lunch + dt.timedelta(hours=1))}
        days.append(day)
    people = [{"id": r["Full name"]} for r in rows(sheets["Persons"])]
    meetings = []
    for k, r in enumerate(rows(sheets["Meetings"])):
        required = names(r["Required attendance list"])
        optional = [p for p in names(r["Preferred attendance list"]) if p not in required]
        meetings.append({"id": f"m{k + 1}", "summary": r["Topic"], "duration_minutes": int(r["Duration"]),
                         "required": required, "optional": optional})
    first = dt.date.fromisoformat(days[0]["date"])
    return {"version": 1, "now": iso(at(first, "00:00") - dt.timedelta(days=1)), "grid_minutes": 15,
            "buffer_minutes": 15, "days": days, "people": people, "meetings": meetings}


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        json.dump(convert(json.load(f)), sys.stdout, indent=1)
