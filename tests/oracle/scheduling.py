"""Tandem's scheduling instances, seen from outside Tandem.

Three independent pieces over the JSON format the README documents ("The scheduling
instance"), none of which shares code with Tandem's solver:

- `check(instance, placements)`: the hard constraints a plan breaks and its objective;
- `cpsat(instance, seconds)`: the optimum by OR-Tools CP-SAT over the same semantics;
- `generate(seed, ...)`: random executive-shaped instances with clashes to resolve.

Placements are dicts: {"status": "stays"} | {"status": "at", "start": ISO} | {"status": "unplaced"}.
"""
from __future__ import annotations

import datetime as dt
import random

UTC = dt.timezone.utc
DEFAULT_WEIGHTS = dict(
    move_p1=400, move_p2=150, move_p3=60, counter=100, per_attendee=10, per_hour_moved=4,
    other_day=40, in_person=100, unplaced_p1=5000, unplaced_p2=2500, unplaced_p3=1200, outside_hours=100,
    no_meeting_day=150, focus=120, lunch=50, buffer=20, over_cap=200, optional_busy=15,
)


def sec(s: str) -> int:
    return int(dt.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp())


def iso(t: int) -> str:
    return dt.datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class View:
    """The instance with defaults filled in and times in seconds."""

    def __init__(self, inst: dict):
        self.inst = inst
        self.w = {**DEFAULT_WEIGHTS, **inst.get("weights", {})}
        self.grid = inst.get("grid_minutes", 5) * 60
        self.freeze = sec(inst["now"]) + inst.get("freeze_hours", 0) * 3600
        self.travel = inst.get("travel_minutes", 0) * 60
        self.buffer = inst.get("buffer_minutes", 0) * 60
        self.days = inst.get("days", [])
        self.busy = {p["id"]: [(sec(b["start"]), sec(b["end"])) for b in p.get("busy", [])]
                     for p in inst.get("people", [])}
        self.ms = inst["meetings"]

    def start(self, m):
        return sec(m["start"]) if m.get("start") else None

    def length(self, m):
        return m["duration_minutes"] * 60

    def tier(self, m):
        return m.get("tier", "P2")

    def fixed(self, m):
        s = self.start(m)
        return s is not None and (m.get("fixed", False) or self.tier(m) == "P0" or s < self.freeze)

    def day_of(self, t):
        for i, d in enumerate(self.days):
            if sec(d["start"]) <= t < sec(d["end"]):
                return i
        return None

    def attendees(self, m):
        if m.get("attendees") is not None:
            return m["attendees"]
        return len(m.get("required", [])) + len(m.get("optional", []))

    def move_cost(self, m, s):
        frm = self.start(m)
        if frm is None:
            return 0
        tier = {"P0": "p1", "P1": "p1", "P2": "p2", "P3": "p3"}[self.tier(m)]
        minutes = abs(s - frm) // 60
        return (self.w["move_" + tier] + (0 if m.get("own", True) else self.w["counter"])
                + self.w["per_attendee"] * self.attendees(m)
                + self.w["per_hour_moved"] * ((minutes + 59) // 60)
                + (self.w["other_day"] if self.day_of(s) != self.day_of(frm) else 0)
                + (self.w["in_person"] if m.get("place") is not None else 0))

    def unplaced_cost(self, m):
        tier = {"P0": "p1", "P1": "p1", "P2": "p2", "P3": "p3"}[self.tier(m)]
        return self.w["unplaced_" + tier]

    def shape_cost(self, m, s):
        """What a placed meeting pays for the preferences of its day it breaks."""
        e = s + self.length(m)
        cost = 0
        if not m.get("personal", False):
            d = self.day_of(s)
            if d is not None:
                day = self.days[d]
                work = day.get("work")
                if not (work and sec(work["start"]) <= s and e <= sec(work["end"])):
                    cost += self.w["outside_hours"]
                if day.get("no_meetings", False):
                    cost += self.w["no_meeting_day"]
                lunch = day.get("lunch")
                if lunch and sec(lunch["start"]) < e and s < sec(lunch["end"]):
                    cost += self.w["lunch"]
                for f in day.get("focus", []):
                    if sec(f["start"]) < e and s < sec(f["end"]):
                        cost += self.w["focus"]
        for p in m.get("optional", []):
            if any(bs < e and s < be for bs, be in self.busy.get(p, [])):
                cost += self.w["optional_busy"]
        return cost

    def move_allowed(self, m, s):
        """Whether a moved meeting may start at s (its own rules, not other meetings)."""
        e = s + self.length(m)
        if s % self.grid or s < self.freeze:
            return False
        win = m.get("window")
        if win and not (sec(win["start"]) <= s and e <= sec(win["end"])):
            return False
        d = self.day_of(s)
        if d is None:
            return False
        day = self.days[d]
        work = day.get("work")
        if day.get("no_meetings", False) or not work or not (sec(work["start"]) <= s and e <= sec(work["end"])):
            return False
        return not any(bs < e and s < be for p in m.get("required", []) for bs, be in self.busy.get(p, []))

    def shares(self, a, b):
        return bool(set(a.get("required", [])) & set(b.get("required", [])))

    def elsewhere(self, a, b):
        return a.get("place") is not None and b.get("place") is not None and a["place"] != b["place"]


def placed(v: View, m, p):
    if p["status"] == "stays":
        return v.start(m)
    if p["status"] == "at":
        return sec(p["start"])
    return None


def check(inst: dict, plan: list[dict]) -> tuple[list[str], int]:
    """(violations, objective) of a plan, straight from the semantics."""
    v = View(inst)
    bad, total = [], 0
    starts = []
    for m, p in zip(v.ms, plan):
        s = placed(v, m, p)
        moved = p["status"] == "at" and s != v.start(m)
        if p["status"] == "stays" and v.start(m) is None:
            bad.append(f"{m['id']}: stays without a start")
        if p["status"] == "unplaced":
            if v.fixed(m):
                bad.append(f"{m['id']}: fixed but unplaced")
            total += v.unplaced_cost(m)
        if moved:
            if v.fixed(m):
                bad.append(f"{m['id']}: fixed but moved")
            if not v.move_allowed(m, s):
                bad.append(f"{m['id']}: moved where it may not go ({iso(s)})")
            total += v.move_cost(m, s)
        if s is not None:
            total += v.shape_cost(m, s)
        starts.append(s)
    n = len(v.ms)
    for i in range(n):
        for j in range(i + 1, n):
            a, b = v.ms[i], v.ms[j]
            if starts[i] is None or starts[j] is None or not v.shares(a, b):
                continue
            both_fixed = v.fixed(a) and v.fixed(b)
            sa, ea = starts[i], starts[i] + v.length(a)
            sb, eb = starts[j], starts[j] + v.length(b)
            if sa < eb and sb < ea:
                if not both_fixed:
                    bad.append(f"{a['id']} and {b['id']} overlap")
                continue
            gap = max(sb - ea, sa - eb)
            if v.elsewhere(a, b) and gap < v.travel:
                if not both_fixed:
                    bad.append(f"{a['id']} and {b['id']} have no time to travel")
                continue
            if gap < v.buffer:
                total += v.w["buffer"]
    for d, day in enumerate(v.days):
        cap = day.get("max_meetings")
        if cap is None:
            continue
        count = sum(1 for m, s in zip(v.ms, starts)
                    if s is not None and not m.get("personal", False) and v.day_of(s) == d)
        total += v.w["over_cap"] * max(0, count - cap)
    return bad, total


def options(v: View, m, fixed_ms):
    """(start or None, own cost) for every placement a movable meeting can take."""
    out = []
    orig = v.start(m)

    def clear(s):
        e = s + v.length(m)
        extra = 0
        for f in fixed_ms:
            if not v.shares(m, f):
                continue
            fs = v.start(f)
            fe = fs + v.length(f)
            if s < fe and fs < e:
                return None
            gap = max(fs - e, s - fe)
            if v.elsewhere(m, f) and gap < v.travel:
                return None
            if gap < v.buffer:
                extra += v.w["buffer"]
        return extra

    if orig is not None:
        extra = clear(orig)
        if extra is not None:
            out.append((orig, extra + v.shape_cost(m, orig)))
    for day in v.days:
        work = day.get("work")
        if not work or day.get("no_meetings", False):
            continue
        s = -(-max(sec(work["start"]), v.freeze) // v.grid) * v.grid
        while s + v.length(m) <= sec(work["end"]):
            if s != orig and v.move_allowed(m, s):
                extra = clear(s)
                if extra is not None:
                    out.append((s, extra + v.move_cost(m, s) + v.shape_cost(m, s)))
            s += v.grid
    out.sort()
    out.append((None, v.unplaced_cost(m)))
    return out


def cpsat(inst: dict, seconds: float = 30.0, workers: int = 1, hint: list | None = None):
    """Solves with CP-SAT: (status name, plan, checked objective, wall seconds). `hint` (a
    plan, e.g. Tandem's) is where the search starts; by default, where the calendar is."""
    from ortools.sat.python import cp_model
    import time

    v = View(inst)
    fixed = [m for m in v.ms if v.fixed(m)]
    movable = [i for i, m in enumerate(v.ms) if not v.fixed(m)]
    model = cp_model.CpModel()
    base = min([sec(d["start"]) for d in v.days] + [v.start(m) for m in v.ms if v.start(m)] + [sec(inst["now"])])
    M = lambda t: (t - base) // 60  # minutes, to keep the numbers small
    idx, start, end, present, opts = {}, {}, {}, {}, {}
    objective = []
    for i in movable:
        m = v.ms[i]
        o = options(v, m, fixed)
        opts[i] = o
        k = len(o)
        idx[i] = model.NewIntVar(0, k - 1, f"idx{i}")
        starts = [M(s) if s is not None else 0 for s, _ in o]
        costs = [c for _, c in o]
        start[i] = model.NewIntVar(min(starts), max(starts), f"s{i}")
        model.AddElement(idx[i], starts, start[i])
        cost = model.NewIntVar(min(costs), max(costs), f"c{i}")
        model.AddElement(idx[i], costs, cost)
        objective.append(cost)
        # Start where the calendar is: every meeting where it is, new ones out (a feasible
        # point when there are no clashes, and a near one otherwise). Tandem starts there too.
        want = v.start(m) if hint is None else placed(v, m, hint[i])
        model.AddHint(idx[i], next((k2 for k2, (s2, _) in enumerate(o) if s2 is not None and s2 == want), k - 1))
        present[i] = model.NewBoolVar(f"p{i}")
        model.Add(idx[i] <= k - 2).OnlyEnforceIf(present[i])
        model.Add(idx[i] == k - 1).OnlyEnforceIf(present[i].Not())
        end[i] = model.NewIntVar(min(starts), max(starts) + m["duration_minutes"], f"e{i}")
        model.Add(end[i] == start[i] + m["duration_minutes"])
    # People: no overlap among the movable meetings (the fixed ones are out of the domains).
    people = sorted({p for i in movable for p in v.ms[i].get("required", [])})
    intervals = {i: model.NewOptionalIntervalVar(start[i], v.ms[i]["duration_minutes"], end[i], present[i], f"iv{i}")
                 for i in movable}
    for p in people:
        mine = [intervals[i] for i in movable if p in v.ms[i].get("required", [])]
        if len(mine) > 1:
            model.AddNoOverlap(mine)
    travel, buffer = v.travel // 60, v.buffer // 60
    for x in range(len(movable)):
        for y in range(x + 1, len(movable)):
            i, j = movable[x], movable[y]
            a, b = v.ms[i], v.ms[j]
            if not v.shares(a, b):
                continue
            both = [present[i], present[j]]
            if v.elsewhere(a, b) and travel > 0:
                order = model.NewBoolVar(f"t{i}_{j}")
                model.Add(end[i] + travel <= start[j]).OnlyEnforceIf(both + [order])
                model.Add(end[j] + travel <= start[i]).OnlyEnforceIf(both + [order.Not()])
            if buffer > 0:
                close = model.NewBoolVar(f"b{i}_{j}")
                order = model.NewBoolVar(f"o{i}_{j}")
                model.Add(end[i] + buffer <= start[j]).OnlyEnforceIf(both + [order, close.Not()])
                model.Add(end[j] + buffer <= start[i]).OnlyEnforceIf(both + [order.Not(), close.Not()])
                objective.append(v.w["buffer"] * close)
    # Daily caps.
    for d, day in enumerate(v.days):
        cap = day.get("max_meetings")
        if cap is None:
            continue
        lo, hi = sec(day["start"]), sec(day["end"])
        base_count = sum(1 for m in fixed if not m.get("personal", False) and v.day_of(v.start(m)) == d)
        members = []
        for i in movable:
            if v.ms[i].get("personal", False):
                continue
            ks = [k for k, (s, _) in enumerate(opts[i]) if s is not None and lo <= s < hi]
            if not ks:
                continue
            on = model.NewBoolVar(f"d{i}_{d}")
            from ortools.util.python import sorted_interval_list
            dom = sorted_interval_list.Domain.FromValues(ks)
            rest = [k for k in range(len(opts[i])) if k not in set(ks)]
            model.AddLinearExpressionInDomain(idx[i], dom).OnlyEnforceIf(on)
            if rest:
                model.AddLinearExpressionInDomain(idx[i], sorted_interval_list.Domain.FromValues(rest)).OnlyEnforceIf(on.Not())
            members.append(on)
        over = model.NewIntVar(0, len(members) + base_count, f"over{d}")
        model.Add(over >= base_count + sum(members) - cap)
        objective.append(v.w["over_cap"] * over)
    model.Minimize(sum(objective))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    t0 = time.perf_counter()
    status = solver.Solve(model)
    wall = time.perf_counter() - t0
    name = solver.StatusName(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return name, None, None, wall
    plan = []
    for i, m in enumerate(v.ms):
        if i not in idx:
            plan.append({"status": "stays"})
            continue
        s, _ = opts[i][solver.Value(idx[i])]
        if s is None:
            plan.append({"status": "unplaced"})
        elif s == v.start(m):
            plan.append({"status": "stays"})
        else:
            plan.append({"status": "at", "start": iso(s)})
    bad, total = check(inst, plan)
    assert not bad, f"CP-SAT's plan breaks {bad}"
    return name, plan, total, wall


def generate(seed: int, meetings: int, days: int = 5, grid: int = 15, people: int = 6,
             clash_share: float = 0.2, new_share: float = 0.0, exec_share: float = 1.0) -> dict:
    """An executive's stretch of days: meetings mostly in working hours, some clashing.
    With exec_share < 1, the rest are meetings among the team whose calendars Tandem knows."""
    r = random.Random(seed)
    monday = dt.datetime(2026, 11, 23, tzinfo=UTC)
    ds = []
    for k in range(days):
        d0 = monday + dt.timedelta(days=k)
        t = lambda h, mnt=0: iso(int((d0 + dt.timedelta(hours=h, minutes=mnt)).timestamp()))
        day = {"date": d0.date().isoformat(), "start": t(0), "end": t(24),
               "work": {"start": t(8), "end": t(18)}, "lunch": {"start": t(12), "end": t(13)}}
        if r.random() < 0.4:
            day["focus"] = [{"start": t(9), "end": t(11), "label": "deep work"}]
        if r.random() < 0.3:
            day["max_meetings"] = max(2, meetings // days - 1)
        if days > 2 and r.random() < 0.1:
            day["no_meetings"] = True
        ds.append(day)
    names = [f"p{k}" for k in range(1, people)]
    ms = []
    for k in range(meetings):
        d = r.randrange(days)
        d0 = monday + dt.timedelta(days=d)
        length = r.choice([15, 30, 30, 45, 60, 60, 90])
        if ms and r.random() < clash_share:
            # On top of an earlier meeting: a clash to resolve.
            other = r.choice(ms)
            if other.get("start"):
                start = sec(other["start"]) + r.choice([0, 15, 30]) * 60
            else:
                start = int((d0 + dt.timedelta(hours=9)).timestamp())
        else:
            start = int((d0 + dt.timedelta(hours=8, minutes=15 * r.randrange(36))).timestamp())
        m = {"id": f"m{k}", "summary": f"meeting {k}", "duration_minutes": length,
             "tier": r.choice(["P0", "P1", "P2", "P2", "P3", "P3"]), "own": r.random() < 0.6,
             "required": ["exec"] + r.sample(names, r.choice([0, 1, 1, 2]))}
        if r.random() >= exec_share:
            m["required"] = r.sample(names, r.choice([1, 2, 2, 3]))
        if r.random() < 0.3:
            m["optional"] = [p for p in r.sample(names, 1) if p not in m["required"]]
        if r.random() < 0.15:
            m["place"] = r.choice(["HQ", "Client site", "Airport hotel"])
        if r.random() < new_share and m["tier"] != "P0":
            pass  # a new meeting: no start
        else:
            m["start"] = iso(start)
        ms.append(m)
    ppl = [{"id": p, "busy": [{"start": iso(b), "end": iso(b + 3600)} for b in
                              (int((monday + dt.timedelta(days=r.randrange(days), hours=8 + r.randrange(9))).timestamp())
                               for _ in range(2))]} for p in names]
    return {"version": 1, "now": iso(int((monday - dt.timedelta(days=1)).timestamp())), "grid_minutes": grid,
            "travel_minutes": 30, "buffer_minutes": r.choice([0, 10]), "days": ds, "people": ppl, "meetings": ms}


def generate_week(seed: int, meetings: int, clashes: int, people: int = 30, exec_meetings: int = 40,
                  grid: int = 5) -> dict:
    """A working week of `meetings` among the executive and a team, laid out clash-free, then
    `clashes` of them moved on top of another meeting of someone they share: the budget's shape
    (300 meetings, 30 conflicts)."""
    r = random.Random(seed)
    inst = generate(seed, 0, days=5, grid=grid, people=people)
    for day in inst["days"]:
        # The team's week: the executive's cap and no-meeting days are not everyone's.
        day.pop("max_meetings", None)
        day.pop("no_meetings", None)
    names = [f"p{k}" for k in range(1, people)]
    monday = dt.datetime(2026, 11, 23, tzinfo=UTC)
    taken: dict[str, list[tuple[int, int]]] = {}
    ms = []
    for k in range(meetings):
        required = (["exec"] if k < exec_meetings else []) + r.sample(names, r.choice([1, 1, 2, 3]))
        length = r.choice([15, 30, 30, 45, 60, 60, 90])
        for _ in range(60):
            d0 = monday + dt.timedelta(days=r.randrange(5), hours=8, minutes=15 * r.randrange(36))
            s = int(d0.timestamp())
            e = s + length * 60
            if e <= int((d0.replace(hour=18, minute=0)).timestamp()) and \
                    not any(a < e and s < b for p in required for a, b in taken.get(p, [])):
                break
        for p in required:
            taken.setdefault(p, []).append((s, e))
        m = {"id": f"m{k}", "summary": f"meeting {k}", "start": iso(s), "duration_minutes": length,
             "tier": r.choice(["P0", "P1", "P2", "P2", "P3", "P3"]), "own": r.random() < 0.6,
             "required": required}
        if r.random() < 0.1:
            m["place"] = r.choice(["HQ", "Client site"])
        ms.append(m)
    for m in r.sample(ms, clashes):
        others = [o for o in ms if o is not m and set(o["required"]) & set(m["required"])]
        if others:
            m["start"] = r.choice(others)["start"]
    inst["meetings"] = ms
    return inst
